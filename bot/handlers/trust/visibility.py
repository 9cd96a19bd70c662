"""Who can find an organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from bot.handlers.trust import queries
from db import repositories
from db.engine import Sessions, reading, writing

AUDIENCE_CHOICES: Final = ("all", "verified", "country", "hidden")


@dataclass(frozen=True)
class Standing:
    """The owner's view of their organisation's badge and visibility."""

    organisation_id: int
    valid_until: datetime | None
    lapsed_on: datetime | None
    pending: bool
    website: str | None
    audience: str  # one of AUDIENCE_CHOICES ("hidden" = not listed)
    owner: bool  # whether the viewer may change the badge and the visibility


async def standing(sessions: Sessions, user_id: int, now: datetime) -> Standing | None:
    """Badge and visibility of the user's organisation, or None before onboarding."""
    async with reading(sessions) as session:
        organisation = await repositories.get_organisation(session, user_id)
        role = await repositories.role_of(session, user_id)
        if organisation is None or role is None:
            return None
        pending = await queries.pending_request(session, organisation.id)
        until = organisation.verified_until
        valid = until is not None and until > now
        return Standing(
            organisation.id,
            until if valid else None,
            until if until is not None and not valid else None,
            pending is not None,
            organisation.website,
            organisation.audience if organisation.listed else "hidden",
            role[1] == "owner",
        )


async def set_audience(sessions: Sessions, user_id: int, choice: str) -> bool:
    """Who may find the user's organisation; "hidden" takes it out of the directory.
    False for a member who is not an owner (nothing changes)."""
    if choice not in AUDIENCE_CHOICES:
        return False
    async with writing(sessions) as session:
        organisation = await repositories.owned_organisation(session, user_id)
        if organisation is None:
            return False
        organisation.listed = choice != "hidden"
        if choice != "hidden":
            organisation.audience = choice
        return True
