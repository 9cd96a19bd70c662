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
    """The main menu; its first button depends on whether the profile exists (looked up
    unless the caller already knows), 📣 Offer or seek on whether it is active."""
    status = await users.organisation_status(sessions, user_id)
    if has_profile is None:
        has_profile = status is not None
    await show(message, *screen(has_profile, can_post=status == "active"), edit=edit)


def screen(has_profile: bool, *, can_post: bool | None = None) -> tuple[str, InlineKeyboardMarkup]:
    """The main menu's text and buttons, for a message sent by other means (`can_post`:
    the organisation is active; by default, whether there is a profile)."""
    can_post = has_profile if can_post is None else can_post
    return texts.main_menu(has_profile), keyboards.main_menu(has_profile, can_post and has_profile)
