"""The catch-all, registered last: nothing the user sends goes unanswered."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot import shared_texts
from bot.commands import ADMIN_COMMANDS, command_of
from bot.filters import IsAdmin
from bot.navigation import AdminsPress, Pressed
from bot.users import UserInfo
from db.engine import Sessions

# The main menu, shown after the answer (the menu feature's, passed in by bot/app.py).
ShowMenu = Callable[..., Awaitable[None]]


def create_router(show_menu: ShowMenu) -> Router:
    """Routes for whatever no other router took."""
    router = Router(name="fallback")
    router.message.register(partial(on_anything, show_menu=show_menu))
    # An admin's press on a message Telegram no longer sends (the admin routers' handlers
    # let it through): out of date, as for everyone, not "admins only".
    router.callback_query.register(on_unknown_press, IsAdmin(), ~Pressed())
    router.callback_query.register(on_not_admin, AdminsPress())  # kinds marked AdminsOnly
    router.callback_query.register(on_unknown_press)
    return router


async def on_anything(
    message: Message, sessions: Sessions, user: UserInfo, show_menu: ShowMenu
) -> None:
    """An unknown command, stray text, a sticker…: say so, and offer the menu. An admin
    command from someone who is not an admin is said to be for the administrators."""
    if command_of(message.text) in ADMIN_COMMANDS and not user.is_admin:
        await message.answer(shared_texts.admin_command())
    else:
        await message.answer(shared_texts.not_understood())
    await show_menu(message, sessions, user.id, edit=False)


async def on_not_admin(query: CallbackQuery) -> None:
    """An admin button pressed by someone who is not (or no longer) an admin."""
    await query.answer(shared_texts.admins_only(), show_alert=True)


async def on_unknown_press(query: CallbackQuery) -> None:
    """An old, forged or foreign button."""
    await query.answer(shared_texts.stale_button(), show_alert=True)
