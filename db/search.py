"""Directory queries: who may see whom, filters, free text and in-database scoring.

The rules (weights, what counts as a match) come from `bot.services`; this module only
turns them into SQL that runs unchanged on SQLite and PostgreSQL.

Search results are ordered by a key an index holds (valid badges first, then newest), so
a page walks `ix_organisations_directory` and stops after it: no query counts or sorts all
matches. "Suggested for you" is scored in SQL (one statement shape for every viewer) on the rows a
threshold algorithm fetches through the covering indexes on the share and learn masks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    cast,
    false,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import MaskValue, Organisation, OrganisationWord

MATCHED = ("share_mask", "learn_mask")  # the columns "suggested for you" seeks by
THRESHOLD_MAX_ROWS = 50  # beyond the 10th page of suggestions, one scored scan is cheaper
# popcount of a value below 2**14 in 64-bit integer arithmetic (no overflow, any dialect):
# spread the bits into nibbles, keep one bit per nibble, sum the nibbles modulo 15.
_SPREAD, _KEEP, _SUM = 0x200040008001, 0x111111111111111, 15


@dataclass(frozen=True)
class Viewer:
    """Who is looking: decides which organisations' audience rules let them in."""

    organisation_id: int | None = None
    country: str | None = None
    verified: bool = False


@dataclass(frozen=True)
class Criteria:
    """Search filters; empty ones do not narrow. `words` are normalised prefixes."""

    bits: tuple[tuple[str, int], ...] = ()  # (mask column, bit value) that must be set
    country: str | None = None
    verified_only: bool = False
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreTerms:
    """A linear score: for each mask column, `weight` × bits it shares with `mask`;
    plus bonuses for another country and a valid badge. With `required`, only rows
    sharing a bit in one of those columns qualify."""

    masks: tuple[tuple[str, int, int], ...]  # (column, viewer's mask, weight per bit)
    foreign_bonus: int = 0
    home_country: str | None = None
    verified_bonus: int = 0
    required: tuple[str, ...] = ()


def is_verified(now: datetime) -> ColumnElement[bool]:
    """The badge is valid: verified and not yet lapsed."""
    return and_(Organisation.verified_until.is_not(None), Organisation.verified_until > now)


def visible_to(viewer: Viewer, now: datetime) -> ColumnElement[bool]:
    """Listed, not hidden or banned, not the viewer's own, and its audience admits them.
    Written as an IN list plus one check, so that it seeks on indexes with or without
    planner statistics."""
    admitted = ["all"]
    if viewer.verified:
        admitted.append("verified")
    conditions = [Organisation.status == "active", Organisation.listed.is_(True)]
    if viewer.country is not None:
        admitted.append("country")
        conditions.append(
            or_(Organisation.audience != "country", Organisation.country == viewer.country)
        )
    conditions.append(Organisation.audience.in_(admitted))
    if viewer.organisation_id is not None:
        conditions.append(Organisation.id != viewer.organisation_id)
    return and_(*conditions)


def _word_range(prefix: str) -> ColumnElement[bool]:
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(OrganisationWord.word >= prefix, OrganisationWord.word < upper)


def _narrowed(criteria: Criteria, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for column, bit in criteria.bits:
        # Tested on each row the walk visits: cheaper than building the tag list first.
        conditions.append(getattr(Organisation, column).op("&")(bit) != 0)
    if criteria.country is not None:
        conditions.append(Organisation.country == criteria.country)
    if criteria.verified_only:
        conditions.append(is_verified(now))
    for prefix in criteria.words:
        conditions.append(
            Organisation.id.in_(select(OrganisationWord.organisation_id).where(_word_range(prefix)))
        )
    return conditions


def _popcount_of(value: Any, mask: Any) -> ColumnElement[int]:
    # 64-bit arithmetic: PostgreSQL's integer is 32-bit and would overflow.
    shared = cast(value.op("&")(mask), BigInteger)
    spread = shared * literal(_SPREAD, BigInteger)
    kept = spread.op("&")(literal(_KEEP, BigInteger))
    return kept.op("%")(literal(_SUM, BigInteger))


def _popcount(column: str, mask: int) -> ColumnElement[int]:
    return _popcount_of(getattr(Organisation, column), bindparam(f"m_{column}", mask, Integer))


def score_of(terms: ScoreTerms, now: datetime) -> ColumnElement[int]:
    """The score as one SQL expression; the viewer's masks are parameters, so the
    statement is the same (and cached) for every viewer."""
    total: ColumnElement[int] = bindparam("bonus0", 0, Integer)
    for column, mask, weight in terms.masks:
        total = total + _popcount(column, mask) * weight
    if terms.foreign_bonus and terms.home_country is not None:
        foreign = (Organisation.country != terms.home_country).cast(Integer)
        total = total + foreign * terms.foreign_bonus
    if terms.verified_bonus:
        total = total + is_verified(now).cast(Integer) * terms.verified_bonus
    return total


def _required(terms: ScoreTerms) -> ColumnElement[bool]:
    checks = [
        getattr(Organisation, column).op("&")(mask) != 0
        for column, mask, _ in terms.masks
        if column in terms.required and mask
    ]
    return or_(*checks) if checks else false()


async def find(
    session: AsyncSession,
    viewer: Viewer,
    criteria: Criteria,
    now: datetime,
    *,
    offset: int,
    limit: int,
) -> list[int]:
    """Ids of matching organisations: valid badges first, then newest."""
    where = and_(visible_to(viewer, now), *_narrowed(criteria, now))
    query = (
        select(Organisation.id)
        .where(where)
        .order_by(Organisation.verified_until.desc().nulls_last(), Organisation.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(await session.scalars(query))


def _values_sharing(kind: str, parameter: str) -> Select[int]:
    """The values column `kind` holds somewhere that share exactly `:{parameter}_n` bits
    with `:{parameter}_mask` (read from the small `mask_values` table)."""
    mask = bindparam(f"{parameter}_mask", type_=Integer)
    count = bindparam(f"{parameter}_n", type_=Integer)
    return select(MaskValue.value).where(
        MaskValue.kind == kind, _popcount_of(MaskValue.value, mask) == count
    )


async def suggested(
    session: AsyncSession,
    viewer: Viewer,
    terms: ScoreTerms,
    now: datetime,
    *,
    offset: int,
    limit: int,
) -> list[int]:
    """The best `limit` ids after `offset` by `score_of(terms)` (newest first among equals),
    among rows sharing a bit with the viewer's share or learn mask: exactly what ORDER BY
    score over every row gives, without scoring every row.

    Threshold algorithm: rows fall into cells by how many topics they share with the
    viewer each way, (a, b); a cell's rows score at most a·w₁ + b·w₂ + everything else at
    its maximum. Cells are fetched best bound first, each through an index seek on both
    masks, until the page's last score beats the next cell's bound."""
    need = offset + limit
    visible = and_(visible_to(viewer, now), _required(terms))
    score = score_of(terms, now)
    weights = {column: weight for column, _, weight in terms.masks}
    masks = {column: mask for column, mask, _ in terms.masks}
    if need > THRESHOLD_MAX_ROWS or set(terms.required) != set(MATCHED):
        # Deep pages: the cells would cover most rows anyway; one scored scan is cheaper.
        scan = (
            select(Organisation.id)
            .where(visible)
            .order_by(score.desc(), Organisation.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(await session.scalars(scan))
    first, second = MATCHED
    rest = (
        terms.foreign_bonus
        + terms.verified_bonus
        + sum(
            weight * mask.bit_count()
            for column, mask, weight in terms.masks
            if column not in MATCHED
        )
    )
    cells = sorted(
        (
            (weights[first] * a + weights[second] * b + rest, a, b)
            for a in range(masks[first].bit_count() + 1)
            for b in range(masks[second].bit_count() + 1)
            if a or b  # sharing nothing either way does not qualify
        ),
        reverse=True,
    )
    query = (
        select(Organisation.id, score)
        .where(
            getattr(Organisation, first).in_(_values_sharing(first, "a")),
            getattr(Organisation, second).in_(_values_sharing(second, "b")),
            visible,
        )
        .order_by(score.desc(), Organisation.id.desc())
        .limit(need)
    )
    best: list[tuple[int, int]] = []  # (score, id), best first
    for bound, a, b in cells:
        if len(best) >= need and best[need - 1][0] > bound:
            break
        parameters = {"a_mask": masks[first], "a_n": a, "b_mask": masks[second], "b_n": b}
        rows = await session.execute(query, parameters)
        best = sorted([*best, *((value, row_id) for row_id, value in rows)], reverse=True)[:need]
    return [row_id for _, row_id in best[offset:need]]


async def any_match(
    session: AsyncSession, viewer: Viewer, criteria: Criteria, now: datetime
) -> bool:
    """Whether at least one organisation matches (stops at the first)."""
    where = and_(visible_to(viewer, now), *_narrowed(criteria, now))
    found = await session.scalar(select(Organisation.id).where(where).limit(1))
    return found is not None


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
