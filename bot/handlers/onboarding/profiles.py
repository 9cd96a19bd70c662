"""Organisation profiles: questionnaire answers in, a stored organisation out (the profile
feature shows the card and changes answers through the questionnaire)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from bot.indexing import barrier_mask_of, masks_of, words_of
from db import directory, repositories
from db.engine import Sessions, reading, writing
from db.models import Membership, Organisation

# Which questionnaire answer is stored as which kind of tag.
TAG_KINDS: Final[dict[str, str]] = {
    "focus_areas": "focus",
    "can_share": "share",
    "want_learn": "learn",
    "formats": "format",
    "cross_border_countries": "xb_country",
    "barriers": "barrier",
    "languages": "language",
}
SCALARS: Final = ("name", "country", "city", "description", "website", "contact")


@dataclass(frozen=True)
class Profile:
    """A saved organisation as the card shows it (contacts included: the owner sees them)."""

    id: int
    answers: dict[str, Any]
    created_at: datetime
    owner: bool = True  # the viewer's role: owners change the profile, members see it


class NotOwner(Exception):
    """A member (not an owner) tried to change the organisation's profile."""


def _answers(organisation: Organisation) -> dict[str, Any]:
    answers: dict[str, Any] = {code: getattr(organisation, code) for code in SCALARS}
    answers["cross_border"] = organisation.cross_border
    answers["consent"] = organisation.listed
    for step, kind in TAG_KINDS.items():
        answers[step] = sorted(tag.code for tag in organisation.tags if tag.kind == kind)
    if not organisation.cross_border:
        del answers["cross_border_countries"]
    return answers


async def load_profile(sessions: Sessions, user_id: int) -> Profile | None:
    """The user's organisation, or None if they have not finished onboarding nor joined one."""
    async with reading(sessions) as session:
        found = await repositories.role_of(session, user_id)
        organisation = await repositories.get_organisation(session, user_id)
        if organisation is None or found is None:
            return None
        owner = found[1] == "owner"
        return Profile(organisation.id, _answers(organisation), organisation.created_at, owner)


async def save_profile(sessions: Sessions, user_id: int, answers: dict[str, Any]) -> Profile:
    """Create the user's organisation (they become its owner) or update it, from complete
    answers, in one transaction (so a crash leaves either the old profile or the new one,
    never half of it). Only an owner may update: NotOwner for a member."""
    async with writing(sessions) as session:
        found = await repositories.role_of(session, user_id)
        if found is not None and found[1] != "owner":
            raise NotOwner
        organisation = await repositories.get_organisation(session, user_id)
        new = organisation is None
        if organisation is None:
            organisation = Organisation(tags=[])
            session.add(organisation)
        before = words_of(organisation.name, organisation.city, organisation.description)
        for code in SCALARS:
            setattr(organisation, code, answers.get(code))
        masks = masks_of(answers)
        for column, value in masks.items():
            setattr(organisation, column, value)
        await repositories.remember_mask_values(
            session, {column: masks[column] for column in directory.MATCHED}
        )
        organisation.barrier_mask = barrier_mask_of(answers)
        organisation.cross_border = bool(answers.get("cross_border"))
        organisation.listed = bool(answers.get("consent"))
        tags = [
            (kind, code)
            for step, kind in TAG_KINDS.items()
            for code in (answers.get(step) or [])
            if step != "cross_border_countries" or organisation.cross_border
        ]
        repositories.replace_tags(organisation, tags)
        await session.flush()
        if new:
            session.add(Membership(user_id=user_id, organisation_id=organisation.id, role="owner"))
        after = words_of(organisation.name, organisation.city, organisation.description)
        await repositories.replace_words(session, organisation.id, before, after)
        return Profile(organisation.id, _answers(organisation), organisation.created_at)


async def save_if_owner(
    sessions: Sessions, user_id: int, answers: dict[str, Any]
) -> Profile | None:
    """`save_profile`, or None for a member (who may not update the team's profile: it
    stays as it was)."""
    try:
        return await save_profile(sessions, user_id, answers)
    except NotOwner:
        return None
