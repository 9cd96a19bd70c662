"""The organisation's card as its owner sees it."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot import navigation, shared_texts
from bot.handlers.onboarding import profiles
from bot.handlers.onboarding import texts as onboarding_texts
from bot.handlers.profile import keyboards, texts
from bot.screens import show
from db.engine import Sessions


async def show_profile(
    message: Message,
    sessions: Sessions,
    owner_id: int,
    *,
    edit: bool,
    notice: str | None = None,
) -> None:
    """The saved card with its buttons, or an invitation to onboard."""
    profile = await profiles.load_profile(sessions, owner_id)
    if profile is None:
        await show(message, texts.no_profile(), navigation.onboard(), edit=edit)
        return
    text = onboarding_texts.card(profile.answers, since=profile.created_at)
    if notice:
        text = f"{notice}\n\n{text}"
    await show(message, text, keyboards.profile(profile.owner), edit=edit)


async def save_and_show_profile(
    message: Message,
    state: FSMContext,
    answers: dict[str, Any],
    sessions: Sessions,
    *,
    edit: bool,
) -> None:
    """Store a changed answer and show the card again (unchanged, and why, for a member
    who is not, or no longer, an owner)."""
    try:
        await profiles.save_profile(sessions, message.chat.id, answers)
    except profiles.NotOwner:
        notice = shared_texts.owners_only()
    else:
        notice = texts.field_saved()
    await state.clear()
    await show_profile(message, sessions, message.chat.id, edit=edit, notice=notice)
