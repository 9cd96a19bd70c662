"""Navigation every feature shares: ids as callback data can hold them, the main menu's
presses, and the buttons that lead back to the menu."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from aiogram import BaseMiddleware, F, Router
from aiogram.dispatcher.event.handler import CallbackType
from aiogram.filters import Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
)
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


class Pressed(Filter):
    """A press on a message Telegram still sends: the handler gets it as `message`. A press
    on a message it no longer sends (a very old one) is not let in, and falls through to
    the catch-all, which says the button is out of date: handlers need not check."""

    async def __call__(self, query: CallbackQuery) -> bool | dict[str, Any]:
        if isinstance(query.message, Message):
            return {"message": query.message}
        return False


class AdminsOnly:
    """A mark on a kind of callback data whose presses are for admins only:
    `class StatsPress(CallbackData, AdminsOnly, prefix="sta")`. The feature's router lets
    only admins in; a press of such a kind by anyone else reaches the catch-all, which says
    it is for the administrators (`AdminsPress`) instead of that the button is out of date."""


class AdminsPress(Filter):
    """A press whose data is one of the kinds marked `AdminsOnly` (it unpacks as one)."""

    async def __call__(self, query: CallbackQuery) -> bool:
        data = query.data or ""
        for kind in AdminsOnly.__subclasses__():
            if not issubclass(kind, CallbackData):
                continue
            try:
                kind.unpack(data)
            except (TypeError, ValueError):
                continue
            return True
        return False


Handler = Callable[..., Awaitable[Any]]


class Refused(Exception):
    """A press refused before anything changed or was answered: raised by a handler (or a
    service it calls), answered by `RefusalsAnswered` with `text()` as an alert, the screen
    staying as it was. The text is produced when answering, in the presser's language; by
    default the button is out of date."""

    def __init__(self, text: Callable[[], str] = shared_texts.stale_button) -> None:
        super().__init__()
        self._text = text

    def text(self) -> str:
        return self._text()


class RefusalsAnswered(BaseMiddleware):
    """A router's presses: a `Refused` is answered with its text, as an alert."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        except Refused as refused:
            if not isinstance(event, CallbackQuery):
                raise
            await event.answer(refused.text(), show_alert=True)
            return None


def register_actions(
    router: Router,
    kind: type[CallbackData],
    handlers: Mapping[Any, Handler],
    *filters: CallbackType,
) -> None:
    """Registration as a table: each handler takes the presses of `kind` whose `action` is
    its key (and that pass `filters`), in the table's order; the router's own filters, e.g.
    its `StateFilter`, apply as well."""
    for action, handler in handlers.items():
        router.callback_query.register(handler, kind.filter(F.action == action), *filters)


# Ids and page numbers as the database can hold them: forged data outside is refused
# by the filter (the press then reaches the catch-all as an unknown button).
Id = Annotated[int, Field(ge=0, le=2_147_483_647)]


class MenuAction(StrEnum):
    """Main menu destinations."""

    HOME = "home"
    PROFILE = "profile"
    SETTINGS = "settings"
    LANGUAGE = "language"
    HELP = "help"
    ONBOARD = "onboard"
    POST = "post"  # 📣 Offer or seek (handled by posts)
    FIND = "find"  # 📣 Calls and offers (handled by find)


class MenuPress(CallbackData, prefix="m"):
    """A press on the main menu, or a way to one of its destinations from any screen; each
    is handled by the feature it names (the profile by profile, settings by settings, the
    language picker by start, the questionnaire by profile, home and help by menu, offer
    or seek by posts, calls and offers by find)."""

    action: MenuAction
    field: str = ""  # unused: kept so that packed presses stay what old messages carry


class ApplyPress(CallbackData, prefix="ap"):
    """📝 Apply, under an internship an organisation hosts: shown by events (its
    announcement and card), handled by posts (the motivation, the host's inbox)."""

    item: Id  # the internship (an event's id)


class ProfileAction(StrEnum):
    """Changing the profile's answers (handled by profile)."""

    EDIT = "edit"  # the list of answers to change
    FIELD = "field"  # change one answer (`field`)


class ProfilePress(CallbackData, prefix="m"):
    """A press under the profile card or on its list of answers (onboarding's screen).
    It shares the main menu's prefix because these buttons were main-menu presses once:
    old messages carry them, so the packed form is unchanged ("m:edit:", "m:field:<code>");
    each class unpacks only its own actions."""

    action: ProfileAction
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
