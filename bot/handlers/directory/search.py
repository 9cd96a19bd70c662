"""Finding partners: filters, free text, "suggested for you" and cards, honouring
every organisation's choice of who may see it."""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.directory import queries
from bot.handlers.directory.ranking import MatchProfile, terms_for
from bot.indexing import WORD_MAX, normalise, words_of
from bot.taxonomy import COUNTRIES, FOCUS_AREAS, FORMATS, TOPICS
from db import directory
from db.engine import Sessions, reading
from db.models import Organisation

PAGE_SIZE: Final = 5
TEXT_MIN: Final = 2  # per word: one letter would match half the directory
TEXT_MAX: Final = 100
WORDS_MAX: Final = 6


class TextProblem(StrEnum):
    """Why a free-text query was refused."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"


class TextError(ValueError):
    """A free-text query that cannot be searched; `problem` says why."""

    def __init__(self, problem: TextProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def parse_text(raw: str) -> str:
    """The query as it will be searched (trimmed), or TextError. Syntax characters of
    SQL or full-text engines are just separators here: words are matched as prefixes."""
    text = " ".join(raw.split())
    if len(text) > TEXT_MAX:
        raise TextError(TextProblem.TOO_LONG)
    if not _prefixes(text):
        raise TextError(TextProblem.TOO_SHORT)
    return text


def _prefixes(text: str) -> tuple[str, ...]:
    words = sorted(w for w in words_of(text) if len(w) >= TEXT_MIN)
    # Longer words narrow more; a word that is a prefix of another adds nothing.
    kept = [w for w in words if not any(o != w and o.startswith(w) for o in words)]
    kept.sort(key=len, reverse=True)
    return tuple(w[:WORD_MAX] for w in kept[:WORDS_MAX])


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the directory to. Codes are validated on the way in."""

    topic: str | None = None  # they can share it (we want to learn it)
    focus: str | None = None
    country: str | None = None
    format: str | None = None
    verified_only: bool = False
    text: str = ""

    @property
    def empty(self) -> bool:
        """No filter set."""
        return self == Filters()

    def active(self) -> list[str]:
        """Names of the filters that narrow, in display order."""
        return [name for name, value in asdict(self).items() if value]

    def without(self, name: str) -> Filters:
        """The same filters with one cleared."""
        values = self.dump()
        values.pop(name, None)
        return Filters(**values)

    def dump(self) -> dict[str, Any]:
        """For the FSM data."""
        return {key: value for key, value in asdict(self).items() if value}

    @classmethod
    def load(cls, data: Any) -> Filters:
        """From FSM data, dropping anything unknown or invalid (data can be old)."""
        if not isinstance(data, dict):
            return cls()
        checks = {"topic": TOPICS, "focus": FOCUS_AREAS, "country": COUNTRIES, "format": FORMATS}
        values: dict[str, Any] = {
            key: data[key] for key, vocabulary in checks.items() if data.get(key) in vocabulary
        }
        values["verified_only"] = data.get("verified_only") is True
        text = data.get("text")
        if isinstance(text, str):
            with contextlib.suppress(TextError):  # an old query that is no longer valid
                values["text"] = parse_text(text)
        return cls(**values)

    def criteria(self) -> queries.Criteria:
        """As database criteria."""
        chosen = [
            ("share_mask", TOPICS, self.topic),
            ("focus_mask", FOCUS_AREAS, self.focus),
            ("format_mask", FORMATS, self.format),
        ]
        return queries.Criteria(
            bits=tuple(
                (column, vocabulary.mask([code])) for column, vocabulary, code in chosen if code
            ),
            country=self.country,
            verified_only=self.verified_only,
            words=_prefixes(normalise(self.text)) if self.text else (),
        )


@dataclass(frozen=True)
class Card:
    """An organisation as others see it: never its contacts."""

    id: int
    name: str
    country: str
    city: str
    description: str | None
    badge_year: int | None
    focus_areas: tuple[str, ...]
    can_share: tuple[str, ...]
    want_learn: tuple[str, ...]
    formats: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One page of results. `moved` is set when the asked page no longer existed."""

    cards: list[Card]
    number: int
    has_next: bool
    moved: bool = False


@dataclass(frozen=True)
class Me:
    """The viewer's own organisation, as search needs it."""

    id: int
    status: str
    match: MatchProfile

    @property
    def banned(self) -> bool:
        """Banned organisations may not search or send requests."""
        return self.status == "banned"


def badge_valid(organisation: Organisation | directory.Listing, now: datetime) -> bool:
    """Whether the organisation's trust badge is valid at `now`."""
    return organisation.verified_until is not None and organisation.verified_until > now


def match_profile(organisation: Organisation, now: datetime) -> MatchProfile:
    """The ranking view of an organisation."""
    return MatchProfile(
        share=organisation.share_mask,
        learn=organisation.learn_mask,
        focus=organisation.focus_mask,
        formats=organisation.format_mask,
        country=organisation.country,
        verified=badge_valid(organisation, now),
    )


def card_of(organisation: directory.Listing, now: datetime) -> Card:
    """The public card of an organisation."""
    tags: dict[str, list[str]] = {}
    for kind, code in organisation.tags:
        tags.setdefault(kind, []).append(code)

    def ordered(kind: str, codes: tuple[str, ...]) -> tuple[str, ...]:
        chosen = set(tags.get(kind, ()))
        return tuple(code for code in codes if code in chosen)

    valid = badge_valid(organisation, now) and organisation.verified_at is not None
    return Card(
        id=organisation.id,
        name=organisation.name,
        country=organisation.country,
        city=organisation.city,
        description=organisation.description,
        badge_year=organisation.verified_at.year if valid and organisation.verified_at else None,
        focus_areas=ordered("focus", FOCUS_AREAS.codes),
        can_share=ordered("share", TOPICS.codes),
        want_learn=ordered("learn", TOPICS.codes),
        formats=ordered("format", FORMATS.codes),
        languages=tuple(sorted(tags.get("language", ()))),
    )


async def _me(session: AsyncSession, user_id: int, now: datetime) -> Me | None:
    row = await queries.own_organisation(session, user_id)
    if row is None:
        return None
    verified = row.verified_until is not None and row.verified_until > now
    match = MatchProfile(
        row.share_mask, row.learn_mask, row.focus_mask, row.format_mask, row.country, verified
    )
    return Me(row.id, row.status, match)


def _viewer(me: Me | None) -> directory.Viewer:
    if me is None:
        return directory.Viewer()
    return directory.Viewer(me.id, me.match.country, me.match.verified)


async def me(sessions: Sessions, user_id: int, now: datetime) -> Me | None:
    """The user's organisation as search sees it, or None before onboarding."""
    async with reading(sessions) as session:
        return await _me(session, user_id, now)


async def _page(
    session: AsyncSession,
    viewer: directory.Viewer,
    criteria: queries.Criteria,
    terms: queries.ScoreTerms | None,
    number: int,
    now: datetime,
    size: int = PAGE_SIZE,
) -> Page:
    number = max(0, number)
    offset, limit = number * size, size + 1
    if terms is None:
        ids = await queries.find(session, viewer, criteria, now, offset=offset, limit=limit)
    else:
        ids = await queries.suggested(session, viewer, terms, now, offset=offset, limit=limit)
    if not ids and number > 0:  # the list shrank since the button was made
        first = await _page(session, viewer, criteria, terms, 0, now, size)
        return replace(first, moved=True)
    organisations = await directory.load(session, ids[:size])
    cards = [card_of(organisation, now) for organisation in organisations]
    return Page(cards, number, len(ids) > size)


async def find(
    sessions: Sessions,
    mine: Me | None,
    filters: Filters,
    number: int,
    now: datetime,
    *,
    size: int = PAGE_SIZE,
) -> Page:
    """A page of the directory narrowed by `filters`, as `mine` (None before onboarding)
    may see it: valid trust badges first, then the newest (an order the database walks
    without sorting)."""
    async with reading(sessions) as session:
        return await _page(session, _viewer(mine), filters.criteria(), None, number, now, size)


async def count(
    sessions: Sessions, mine: Me | None, filters: Filters, now: datetime, *, cap: int
) -> int:
    """How many organisations `find` would list, counted up to `cap` + 1 (the walk stops
    there: "more than `cap`" is all a long list needs to say)."""
    async with reading(sessions) as session:
        ids = await queries.find(
            session, _viewer(mine), filters.criteria(), now, offset=0, limit=cap + 1
        )
        return len(ids)


async def suggest(
    sessions: Sessions, mine: Me, number: int, now: datetime, *, size: int = PAGE_SIZE
) -> Page:
    """A page of "suggested for you": organisations that can teach us or learn from us,
    ranked by `ranking.score`, computed inside the database."""
    async with reading(sessions) as session:
        terms = terms_for(mine.match, suggest=True)
        criteria = queries.Criteria()
        return await _page(session, _viewer(mine), criteria, terms, number, now, size)


async def newcomers(
    sessions: Sessions, mine: Me, since: datetime, now: datetime, limit: int
) -> list[Card]:
    """Organisations created since `since` that `mine` may see and that fit it, ranked
    as "suggested for you" (the weekly digest's new partners)."""
    async with reading(sessions) as session:
        terms = terms_for(mine.match, suggest=True)
        ids = await queries.newest_suggested(session, _viewer(mine), terms, since, now, limit=limit)
        return [card_of(listing, now) for listing in await directory.load(session, ids)]


@dataclass(frozen=True)
class Shown:
    """A card and whether it is the viewer's own organisation."""

    card: Card
    own: bool


async def card(
    sessions: Sessions, user_id: int, organisation_id: int, now: datetime
) -> Shown | None:
    """The card of an organisation the user may see (their own included), else None."""
    async with reading(sessions) as session:
        mine = await _me(session, user_id, now)
        own = mine is not None and mine.id == organisation_id
        if not own and not await directory.visible_one(
            session, _viewer(mine), organisation_id, now
        ):
            return None
        found = await directory.load(session, [organisation_id])
        return Shown(card_of(found[0], now), own) if found else None


async def relaxations(
    sessions: Sessions, mine: Me | None, filters: Filters, now: datetime
) -> list[str]:
    """For "nothing found": the active filters whose removal alone would find something."""
    found = []
    viewer = _viewer(mine)
    async with reading(sessions) as session:
        for name in filters.active():
            if await queries.any_match(session, viewer, filters.without(name).criteria(), now):
                found.append(name)
    return found
