"""The Team screen and the offer to join an organisation."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import Message

from bot import navigation, screens
from bot.handlers.team import joining, keyboards, matching, membership, texts
from bot.handlers.team.membership import InviteRefused
from db.engine import Sessions


async def show_team(
    message: Message,
    sessions: Sessions,
    user_id: int,
    now: datetime,
    *,
    edit: bool,
    notice: str | None = None,
) -> bool:
    """The Team screen; False if the user belongs to no organisation."""
    shown = await membership.team(sessions, user_id, now)
    if shown is None:
        return False
    text = texts.team(shown)
    if notice:
        text = f"{notice}\n\n{text}"
    await screens.show(message, text, keyboards.team(shown), edit=edit)
    return True


async def offer_join(
    message: Message, sessions: Sessions, user_id: int, token: str, now: datetime, *, edit: bool
) -> None:
    """ "Join <organisation>, <city> as a member?", or why the invitation cannot be used."""
    try:
        found = await membership.look_up_invite(sessions, user_id, token, now)
    except InviteRefused as refused:
        text = texts.invite_problem(refused.problem, refused.name)
        await screens.show(message, text, navigation.back_to_menu(), edit=edit)
        return
    await screens.show(message, texts.join_offer(found), keyboards.join(token), edit=edit)


async def offer_existing(
    message: Message, sessions: Sessions, name: str, country: str, *, edit: bool
) -> bool:
    """At onboarding, after the name and the country: "<name>, <city> is already in NGO
    Bridge. Is it yours?" when a matching organisation exists; False when none does."""
    found = await matching.find_existing(sessions, name, country)
    if found is None:
        return False
    organisation_id, found_name, city = found
    text = texts.already_here(found_name, city)
    await screens.show(message, text, keyboards.already_here(organisation_id), edit=edit)
    return True


async def offer_waiting(message: Message, sessions: Sessions, user_id: int) -> bool:
    """/start while the user's join request waits: withdraw it or keep waiting. False when
    no request of theirs waits (or they belong to an organisation by now)."""
    found = await joining.waiting(sessions, user_id)
    if found is None:
        return False
    text = texts.join_pending(found.organisation)
    await screens.show(message, text, keyboards.waiting(found.request_id), edit=False)
    return True
