"""Directory's queries: filters, free text and in-database scoring; who may see whom is
db/directory.py's (every feature that shows organisations shares it).

The rules (weights, what counts as a match) come from ranking.py; this module only
turns them into SQL that runs unchanged on SQLite and PostgreSQL.

Search results are ordered by a key an index holds (valid badges first, then newest), so
a page walks `ix_organisations_directory` and stops after it: no query counts or sorts all
matches. "Suggested for you" is scored in SQL (one statement shape for every viewer) on the rows a
threshold algorithm fetches through covering indexes led by the share or the learn mask.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    Row,
    Select,
    String,
    and_,
    bindparam,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from db.directory import MATCHED, Viewer, is_verified, viewer_values, visible_to
from db.models import MaskValue, Membership, Organisation, OrganisationWord

THRESHOLD_MAX_ROWS = 600  # beyond the 120th page of five suggestions, one scan is cheaper
# popcount of a value below 2**14 in 64-bit integer arithmetic (no overflow, any dialect):
# spread the bits into nibbles, keep one bit per nibble, sum the nibbles modulo 15.
_SPREAD, _KEEP, _SUM = 0x200040008001, 0x111111111111111, 15


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


def _mask(column: str, mask: int) -> BindParameter[int]:
    return bindparam(f"m_{column}", mask, Integer)


def score_values(terms: ScoreTerms, now: datetime) -> dict[str, Any]:
    """The values of the named parameters of `score_of` and `_required` for `terms`."""
    values: dict[str, Any] = {
        "now": now,
        "home_country": terms.home_country or "",
        "foreign_bonus": terms.foreign_bonus if terms.home_country is not None else 0,
        "verified_bonus": terms.verified_bonus,
    }
    for column, mask, weight in terms.masks:
        values[f"m_{column}"] = mask
        values[f"w_{column}"] = weight
    return values


def score_of(terms: ScoreTerms, now: datetime) -> ColumnElement[int]:
    """The score as one SQL expression. Masks, weights and bonuses are named parameters
    (`score_values`), so the SQL depends only on which columns are scored: a statement
    built once serves every viewer."""
    values = score_values(terms, now)
    total: ColumnElement[int] = literal(0, Integer)
    for column, mask, weight in terms.masks:
        shared = _popcount_of(getattr(Organisation, column), _mask(column, mask))
        total = total + shared * bindparam(f"w_{column}", weight, Integer)
    home = bindparam("home_country", values["home_country"], String)
    foreign = (Organisation.country != home).cast(Integer)
    total = total + foreign * bindparam("foreign_bonus", values["foreign_bonus"], Integer)
    badge = is_verified(bindparam("now", now, Organisation.verified_until.type)).cast(Integer)
    return total + badge * bindparam("verified_bonus", values["verified_bonus"], Integer)


def _required(terms: ScoreTerms) -> ColumnElement[bool]:
    checks = [
        getattr(Organisation, column).op("&")(_mask(column, mask)) != 0
        for column, mask, _ in terms.masks
        if column in terms.required
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
    where = and_(visible_to(viewer), *_narrowed(criteria, now))
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


def _overlap_classes() -> CompoundSelect[str, int, int]:
    """How many values each matched column holds per number of bits shared with the
    viewer's mask for it (`:first_mask`, `:second_mask`): (column, bits, values). One
    grouped read per column (a single read grouped by column too was three times slower)."""
    per_column = []
    for column, parameter in zip(MATCHED, ("first_mask", "second_mask"), strict=True):
        shared = _popcount_of(MaskValue.value, bindparam(parameter, type_=Integer))
        per_column.append(
            select(literal(column, String), shared, func.count())
            .where(MaskValue.kind == column)
            .group_by(shared)
        )
    return union_all(*per_column)


def _in_class(seek: str, other: str) -> ColumnElement[bool]:
    """Rows of one overlap class, found by the values of column `seek` that share
    `:seek_n` bits with `:seek_mask` (an index seek per value); `other` sharing
    `:other_n` bits with `:other_mask` is checked on each row found."""
    shared = _popcount_of(getattr(Organisation, other), bindparam("other_mask", type_=Integer))
    return and_(
        getattr(Organisation, seek).in_(_values_sharing(seek, "seek")),
        shared == bindparam("other_n", type_=Integer),
    )


@dataclass(frozen=True)
class _SuggestionQueries:
    """The statements of "suggested for you" for one set of scored columns."""

    classes: CompoundSelect[str, int, int]  # values per overlap class, see `_overlap_classes`
    by_first: Select[int, int]  # (id, score) of one class, sought by MATCHED[0]
    by_second: Select[int, int]  # the same, sought by MATCHED[1]
    scan: Select[int]  # ids in order of score, from one scan of every visible row


@functools.cache
def _suggestion_queries(columns: tuple[str, ...], required: tuple[str, ...]) -> _SuggestionQueries:
    """Built once per process: every viewer's value is a named parameter, so building
    and cache-keying these large expressions (a few ms) is not paid per call."""
    terms = ScoreTerms(masks=tuple((column, 0, 0) for column in columns), required=required)
    visible = and_(visible_to(Viewer()), _required(terms))
    score = score_of(terms, datetime.min)
    order = (score.desc(), Organisation.id.desc())
    first, second = MATCHED
    by_first, by_second = (
        select(Organisation.id, score)
        .where(_in_class(seek, other), visible)
        .order_by(*order)
        .limit(bindparam("need", type_=Integer))
        for seek, other in ((first, second), (second, first))
    )
    scan = (
        select(Organisation.id)
        .where(visible)
        .order_by(*order)
        .offset(bindparam("offset", type_=Integer))
        .limit(bindparam("limit", type_=Integer))
    )
    return _SuggestionQueries(_overlap_classes(), by_first, by_second, scan)


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

    Threshold algorithm: rows fall into classes by how many topics they share with the
    viewer each way, (a, b); a class's rows score at most a·w₁ + b·w₂ + everything else
    at its maximum. Classes are fetched best bound first until the page's last score beats
    the next class's bound. A class is read through the index led by whichever mask has
    fewer values in it, one seek per value (probing every pair of values instead cost
    tens of thousands of seeks for the large classes)."""
    need = offset + limit
    queries = _suggestion_queries(tuple(column for column, _, _ in terms.masks), terms.required)
    parameters = {**viewer_values(viewer), **score_values(terms, now), "need": need}
    connection = await session.connection()
    if need > THRESHOLD_MAX_ROWS or set(terms.required) != set(MATCHED):
        # Deep pages: the classes would cover most rows anyway; one scored scan is cheaper.
        scan = {**parameters, "offset": offset, "limit": limit}
        return list((await connection.execute(queries.scan, scan)).scalars())
    weights = {column: weight for column, _, weight in terms.masks}
    masks = {column: mask for column, mask, _ in terms.masks}
    first, second = MATCHED
    values = {
        (kind, shared): count
        for kind, shared, count in await connection.execute(
            queries.classes, {"first_mask": masks[first], "second_mask": masks[second]}
        )
    }
    rest = (
        terms.foreign_bonus
        + terms.verified_bonus
        + sum(
            weight * mask.bit_count()
            for column, mask, weight in terms.masks
            if column not in MATCHED
        )
    )
    classes = sorted(
        (
            (weights[first] * a + weights[second] * b + rest, a, b)
            for a in range(masks[first].bit_count() + 1)
            for b in range(masks[second].bit_count() + 1)
            # sharing nothing either way does not qualify; no value, no row
            if (a or b) and values.get((first, a)) and values.get((second, b))
        ),
        reverse=True,
    )
    best: list[tuple[int, int]] = []  # (score, id), best first
    for bound, a, b in classes:
        if len(best) >= need and best[need - 1][0] > bound:
            break
        if values[first, a] <= values[second, b]:
            query, seek, other = queries.by_first, (first, a), (second, b)
        else:
            query, seek, other = queries.by_second, (second, b), (first, a)
        found = await connection.execute(
            query,
            {
                **parameters,
                "seek_mask": masks[seek[0]],
                "seek_n": seek[1],
                "other_mask": masks[other[0]],
                "other_n": other[1],
            },
        )
        best = sorted([*best, *((value, row_id) for row_id, value in found)], reverse=True)[:need]
    return [row_id for _, row_id in best[offset:need]]


async def newest_suggested(
    session: AsyncSession,
    viewer: Viewer,
    terms: ScoreTerms,
    since: datetime,
    now: datetime,
    *,
    limit: int,
) -> list[int]:
    """The best `limit` organisations by `score_of(terms)` among those created since
    `since` (a week's newcomers: few rows, read by `ix_organisations_created_at`)."""
    query = (
        select(Organisation.id)
        .where(Organisation.created_at >= since, visible_to(viewer), _required(terms))
        .order_by(score_of(terms, now).desc(), Organisation.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(query))


async def any_match(
    session: AsyncSession, viewer: Viewer, criteria: Criteria, now: datetime
) -> bool:
    """Whether at least one organisation matches (stops at the first)."""
    where = and_(visible_to(viewer), *_narrowed(criteria, now))
    found = await session.scalar(select(Organisation.id).where(where).limit(1))
    return found is not None


async def own_organisation(
    session: AsyncSession, user_id: int
) -> Row[int, str, int, int, int, int, str, datetime | None] | None:
    """What search needs of the user's organisation (id, status, the four masks, country,
    badge's end), or None before onboarding."""
    return (
        await session.execute(
            select(
                Organisation.id,
                Organisation.status,
                Organisation.share_mask,
                Organisation.learn_mask,
                Organisation.focus_mask,
                Organisation.format_mask,
                Organisation.country,
                Organisation.verified_until,
            )
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user_id)
        )
    ).first()
