"""Grouped counts for /stats. Every query returns aggregated rows (per country and per
answer), never organisations: the bot sums countries into groups itself."""

from __future__ import annotations

from typing import Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organisation, OrganisationTag

COUNTED: Final = Organisation.status == "active"  # hidden and banned profiles are left out

MASK_COLUMNS: Final = {
    "share_mask": Organisation.share_mask,
    "learn_mask": Organisation.learn_mask,
    "focus_mask": Organisation.focus_mask,
    "format_mask": Organisation.format_mask,
}


async def organisations_by_country(session: AsyncSession) -> list[tuple[str, bool, int]]:
    """`(country, cross_border, organisations)` for the counted organisations."""
    rows = await session.execute(
        select(Organisation.country, Organisation.cross_border, func.count())
        .where(COUNTED)
        .group_by(Organisation.country, Organisation.cross_border)
    )
    return [(str(country), bool(cross), int(count)) for country, cross, count in rows]


async def masks_by_country(session: AsyncSession, column: str) -> list[tuple[str, int, int]]:
    """`(country, mask value, organisations)` of one mask column (a few thousand rows at
    most: the distinct values present, per country)."""
    mask = MASK_COLUMNS[column]
    rows = await session.execute(
        select(Organisation.country, mask, func.count())
        .where(COUNTED, mask != 0)
        .group_by(Organisation.country, mask)
    )
    return [(str(country), int(value), int(count)) for country, value, count in rows]


async def tags_by_country(session: AsyncSession, kind: str) -> list[tuple[str, str, int]]:
    """`(country, code, organisations)` of one tag kind that has no mask (barriers)."""
    rows = await session.execute(
        select(Organisation.country, OrganisationTag.code, func.count())
        .join(Organisation, Organisation.id == OrganisationTag.organisation_id)
        .where(OrganisationTag.kind == kind, COUNTED)
        .group_by(Organisation.country, OrganisationTag.code)
    )
    return [(str(country), str(code), int(count)) for country, code, count in rows]
