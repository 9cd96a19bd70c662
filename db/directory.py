"""Who may see whom, which every feature that shows or reaches organisations shares: the
visibility rule (listed, not hidden or banned, not the viewer's own, the audience), the
badge's validity, and a card's listing read as plain rows. The search itself (filters, free
text, "suggested for you" scored in the database) is the directory feature's
(bot/handlers/directory/queries.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Integer, String, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organisation, OrganisationTag

MATCHED = ("share_mask", "learn_mask")  # the columns "suggested for you" seeks by


@dataclass(frozen=True)
class Viewer:
    """Who is looking: decides which organisations' audience rules let them in."""

    organisation_id: int | None = None
    country: str | None = None
    verified: bool = False


def is_verified(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """The badge is valid: verified and not yet lapsed."""
    return and_(Organisation.verified_until.is_not(None), Organisation.verified_until > now)


def viewer_values(viewer: Viewer) -> dict[str, Any]:
    """The viewer's values for the named parameters of `visible_to`."""
    admitted = ["all"]
    if viewer.verified:
        admitted.append("verified")
    if viewer.country is not None:
        admitted.append("country")
    return {
        "viewer_country": viewer.country,
        "admitted": admitted,
        "viewer_id": viewer.organisation_id or 0,  # ids start at 1: excludes nobody
    }


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """Listed, not hidden or banned, not the viewer's own, and its audience admits them.
    Written as an IN list plus one check, so that it seeks on indexes with or without
    planner statistics. The same SQL for every viewer: their values are named
    parameters (`viewer_values`), so a statement built once serves them all."""
    values = viewer_values(viewer)
    own_country = bindparam("viewer_country", values["viewer_country"], String)
    return and_(
        Organisation.status == "active",
        Organisation.listed.is_(True),
        # a viewer without a country compares with NULL: never true, as it should be
        or_(Organisation.audience != "country", Organisation.country == own_country),
        Organisation.audience.in_(bindparam("admitted", values["admitted"], expanding=True)),
        Organisation.id != bindparam("viewer_id", values["viewer_id"], Integer),
    )


async def visible_one(
    session: AsyncSession, viewer: Viewer, organisation_id: int, now: datetime
) -> bool:
    """Whether the viewer may see this organisation (deep links, cards, requests)."""
    found = await session.scalar(
        select(Organisation.id).where(Organisation.id == organisation_id, visible_to(viewer))
    )
    return found is not None


@dataclass(frozen=True)
class Listing:
    """What a card shows of an organisation (never its contacts), read as plain rows."""

    id: int
    name: str
    country: str
    city: str
    description: str | None
    verified_at: datetime | None
    verified_until: datetime | None
    tags: tuple[tuple[str, str], ...]  # (kind, code)

    @classmethod
    def of(cls, organisation: Organisation) -> Listing:
        """The listing of an organisation already loaded with its tags."""
        return cls(
            organisation.id,
            organisation.name,
            organisation.country,
            organisation.city,
            organisation.description,
            organisation.verified_at,
            organisation.verified_until,
            tuple((tag.kind, tag.code) for tag in organisation.tags),
        )


_LISTED = (
    Organisation.id,
    Organisation.name,
    Organisation.country,
    Organisation.city,
    Organisation.description,
    Organisation.verified_at,
    Organisation.verified_until,
)


async def load(session: AsyncSession, ids: Sequence[int]) -> list[Listing]:
    """The listings of the organisations with these ids, in the order of `ids`: two plain
    reads, no ORM objects (building ~70 of them per page cost more than the reads)."""
    if not ids:
        return []
    connection = await session.connection()
    tags: dict[int, list[tuple[str, str]]] = {}
    for organisation_id, kind, code in await connection.execute(
        select(OrganisationTag.organisation_id, OrganisationTag.kind, OrganisationTag.code).where(
            OrganisationTag.organisation_id.in_(ids)
        )
    ):
        tags.setdefault(organisation_id, []).append((kind, code))
    rows = await connection.execute(select(*_LISTED).where(Organisation.id.in_(ids)))
    by_id = {row.id: Listing(*row, tuple(tags.get(row.id, ()))) for row in rows}
    return [by_id[i] for i in ids if i in by_id]
