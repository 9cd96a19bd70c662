"""Navigation every feature shares: ids as callback data can hold them, the main menu's
presses, and the buttons that lead back to the menu."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from aiogram.filters import Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from pydantic import Field

from bot import shared_texts
from bot.i18n import current_locale
from bot.screens import callback_button, column


class PressOf(Filter):
    """A router's gate: only presses of these kinds of callback data go in. One prefix
    check per router instead of one unpacking filter per handler, for every press of the
    bot: routing a press through all routers cost twice as much without it."""

    def __init__(self, *kinds: type[CallbackData]) -> None:
        self.prefixes = frozenset(kind.__prefix__ + kind.__separator__ for kind in kinds)

    async def __call__(self, query: CallbackQuery) -> bool:
        data = query.data or ""
        return any(data.startswith(prefix) for prefix in self.prefixes)


# Ids and page numbers as the database can hold them: forged data outside is refused
# by the filter (the press then reaches the catch-all as an unknown button).
Id = Annotated[int, Field(ge=0, le=2_147_483_647)]


class MenuAction(StrEnum):
    """Main menu destinations."""

    HOME = "home"
    PROFILE = "profile"
    EDIT = "edit"
    FIELD = "field"
    SETTINGS = "settings"
    LANGUAGE = "language"
    HELP = "help"
    ONBOARD = "onboard"


class MenuPress(CallbackData, prefix="m"):
    """A press on the main menu, the profile card or settings."""

    action: MenuAction
    field: str = ""


# Screens whose only buttons are one action and the way back to the menu.
_SCREEN_ACTIONS: dict[str, tuple[str, MenuAction] | None] = {
    "settings": ("language", MenuAction.LANGUAGE),
    "onboard": ("onboard", MenuAction.ONBOARD),
    "back": None,
}


@lru_cache(maxsize=64)
def _screen(locale: str, key: str) -> InlineKeyboardMarkup:
    action = _SCREEN_ACTIONS[key]
    home = ("menu", MenuPress(action=MenuAction.HOME))
    if action is None:
        return column(home)
    return column((action[0], MenuPress(action=action[1])), home)


def settings() -> InlineKeyboardMarkup:
    """Settings: the language, back to the menu."""
    return _screen(current_locale(), "settings")


def back_to_menu() -> InlineKeyboardMarkup:
    """A single way back to the main menu."""
    return _screen(current_locale(), "back")


def onboard() -> InlineKeyboardMarkup:
    """Start the questionnaire, or go to the menu."""
    return _screen(current_locale(), "onboard")


def menu_button() -> InlineKeyboardButton:
    """🏠 Main menu."""
    return callback_button(shared_texts.button("menu"), MenuPress(action=MenuAction.HOME))
