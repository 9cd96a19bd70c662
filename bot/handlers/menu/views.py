"""Showing the main menu."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup, Message

from bot import users
from bot.handlers.menu import keyboards, texts
from bot.screens import show
from db.engine import Sessions


async def show_menu(
    message: Message,
    sessions: Sessions,
    user_id: int,
    *,
    edit: bool,
    has_profile: bool | None = None,
) -> None:
    """The main menu; its first button depends on whether the profile exists
    (looked up unless the caller already knows)."""
    if has_profile is None:
        has_profile = await users.has_profile(sessions, user_id)
    await show(message, *screen(has_profile), edit=edit)


def screen(has_profile: bool) -> tuple[str, InlineKeyboardMarkup]:
    """The main menu's text and buttons, for a message sent by other means."""
    return texts.main_menu(has_profile), keyboards.main_menu(has_profile)
