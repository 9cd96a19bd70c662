"""Directory queries: who may see whom, filters, free text and in-database scoring.

The rules (weights, what counts as a match) come from `bot.services`; this module only
turns them into SQL that runs unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, and_, false, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organisation, OrganisationTag, OrganisationWord


@dataclass(frozen=True)
class Viewer:
    """Who is looking: decides which organisations' audience rules let them in."""

    organisation_id: int | None = None
    country: str | None = None
    verified: bool = False


@dataclass(frozen=True)
class Criteria:
    """Search filters; empty ones do not narrow. `words` are normalised prefixes."""

    tags: tuple[tuple[str, str], ...] = ()
    country: str | None = None
    verified_only: bool = False
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreTerms:
    """A linear score: `weight` for every listed bit set in a mask column, plus bonuses."""

    bits: tuple[tuple[str, int, int], ...] = ()
    foreign_bonus: int = 0
    home_country: str | None = None
    verified_bonus: int = 0
    required: tuple[str, ...] = field(default=())  # columns of which some listed bit must match


def is_verified(now: datetime) -> ColumnElement[bool]:
    """The badge is valid: verified and not yet lapsed."""
    return and_(Organisation.verified_until.is_not(None), Organisation.verified_until > now)


def visible_to(viewer: Viewer, now: datetime) -> ColumnElement[bool]:
    """Listed, not hidden or banned, not the viewer's own, and its audience admits them."""
    admitted = [Organisation.audience == "all"]
    if viewer.verified:
        admitted.append(Organisation.audience == "verified")
    if viewer.country is not None:
        admitted.append(
            and_(Organisation.audience == "country", Organisation.country == viewer.country)
        )
    conditions = [Organisation.status == "active", Organisation.listed.is_(True), or_(*admitted)]
    if viewer.organisation_id is not None:
        conditions.append(Organisation.id != viewer.organisation_id)
    return and_(*conditions)


def _word_range(prefix: str) -> ColumnElement[bool]:
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(OrganisationWord.word >= prefix, OrganisationWord.word < upper)


def _narrowed(criteria: Criteria, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for kind, code in criteria.tags:
        conditions.append(
            Organisation.id.in_(
                select(OrganisationTag.organisation_id).where(
                    OrganisationTag.kind == kind, OrganisationTag.code == code
                )
            )
        )
    if criteria.country is not None:
        conditions.append(Organisation.country == criteria.country)
    if criteria.verified_only:
        conditions.append(is_verified(now))
    for prefix in criteria.words:
        conditions.append(
            Organisation.id.in_(select(OrganisationWord.organisation_id).where(_word_range(prefix)))
        )
    return conditions


def _bit(column: str, bit: int) -> ColumnElement[int]:
    return getattr(Organisation, column).op(">>")(bit).op("&")(1)  # type: ignore[no-any-return]


def score_of(terms: ScoreTerms, now: datetime) -> ColumnElement[int]:
    """The score as one SQL expression over the mask columns of the covering index."""
    parts: list[ColumnElement[int]] = [
        _bit(column, bit) * weight for column, bit, weight in terms.bits
    ]
    if terms.foreign_bonus and terms.home_country is not None:
        foreign = (Organisation.country != terms.home_country).cast(Integer)
        parts.append(foreign * terms.foreign_bonus)
    if terms.verified_bonus:
        parts.append(is_verified(now).cast(Integer) * terms.verified_bonus)
    total: ColumnElement[int] = literal(0)
    for part in parts:
        total = total + part
    return total


def _required(terms: ScoreTerms) -> ColumnElement[bool]:
    checks = []
    for column in terms.required:
        wanted = sum(1 << bit for name, bit, _ in terms.bits if name == column)
        if wanted:
            checks.append(getattr(Organisation, column).op("&")(wanted) != 0)
    return or_(*checks) if checks else false()


def _where(
    viewer: Viewer, criteria: Criteria, terms: ScoreTerms | None, now: datetime
) -> ColumnElement[bool]:
    where = and_(visible_to(viewer, now), *_narrowed(criteria, now))
    if terms is not None and terms.required:
        where = and_(where, _required(terms))
    return where


async def find(
    session: AsyncSession,
    viewer: Viewer,
    criteria: Criteria,
    terms: ScoreTerms | None,
    now: datetime,
    *,
    offset: int,
    limit: int,
) -> list[int]:
    """Ids of matching organisations, best score first (newest first among equals)."""
    where = _where(viewer, criteria, terms, now)
    order = [Organisation.id.desc()]
    if terms is not None and terms.bits:
        order.insert(0, score_of(terms, now).desc())
    rows = await session.scalars(
        select(Organisation.id).where(where).order_by(*order).offset(offset).limit(limit)
    )
    return list(rows)


async def count(session: AsyncSession, viewer: Viewer, criteria: Criteria, now: datetime) -> int:
    """How many organisations match the criteria."""
    where = _where(viewer, criteria, None, now)
    total = await session.scalar(select(func.count()).select_from(Organisation).where(where))
    return int(total or 0)


async def visible_one(
    session: AsyncSession, viewer: Viewer, organisation_id: int, now: datetime
) -> bool:
    """Whether the viewer may see this organisation (deep links, cards, requests)."""
    found = await session.scalar(
        select(Organisation.id).where(Organisation.id == organisation_id, visible_to(viewer, now))
    )
    return found is not None


async def load(session: AsyncSession, ids: Sequence[int]) -> list[Organisation]:
    """The organisations with these ids (tags loaded), in the order of `ids`."""
    if not ids:
        return []
    rows = await session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    by_id = {organisation.id: organisation for organisation in rows}
    return [by_id[i] for i in ids if i in by_id]
