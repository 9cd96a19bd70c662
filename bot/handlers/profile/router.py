"""/profile: the organisation's card; its buttons are handled by the menu router."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.types import Message

from bot.handlers.profile import views
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Routes for the profile card."""
    router = Router(name="profile")
    router.message.register(on_profile, Command("profile"), StateFilter(None))
    return router


async def on_profile(message: Message, sessions: Sessions, user: UserInfo) -> None:
    """/profile: the saved card with Change an answer, or an invitation to onboard."""
    await views.show_profile(message, sessions, user.id, edit=False)
