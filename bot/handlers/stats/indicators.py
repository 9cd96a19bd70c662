"""Network statistics for admins: the study's indicators, live, for all organisations, per
country and per study group (Russia; Kazakhstan, Armenia and Kyrgyzstan; other CIS)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from bot.handlers.stats import exchange, queries
from bot.handlers.stats.exchange import Exchange
from bot.taxonomy import BARRIERS, COUNTRIES, FOCUS_AREAS, FORMATS, TOPICS, Vocabulary
from db.engine import Sessions, reading

ALL: Final = "all"
# The study's groups (docs/design.md, section 1), by stable code. "Another country" is in
# no group: it shows in the totals and in its own country view.
GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "ru": ("RU",),
    "kam": ("KZ", "AM", "KG"),
    "cis": ("BY", "UZ", "TJ", "AZ", "MD", "TM"),
}
SMALL: Final = 5  # fewer organisations than this: the count without a percentage

# Which mask column holds which answer, over which vocabulary.
_MASKS: Final[dict[str, tuple[str, Vocabulary]]] = {
    "share_mask": ("can_share", TOPICS),
    "learn_mask": ("want_learn", TOPICS),
    "format_mask": ("formats", FORMATS),
    "focus_mask": ("focus_areas", FOCUS_AREAS),
    "barrier_mask": ("barriers", BARRIERS),
}


def is_view(view: str) -> bool:
    """Whether `view` names something /stats can show: all, a group or a country."""
    return view == ALL or view in GROUPS or view in COUNTRIES


def _zeros(vocabulary: Vocabulary) -> dict[str, int]:
    return dict.fromkeys(vocabulary.codes, 0)


@dataclass
class Counts:
    """The indicators of a set of organisations; every code of the vocabularies is present
    (zero when nobody chose it), in the vocabulary's order."""

    organisations: int = 0
    cross_border: int = 0
    named_barriers: int = 0  # organisations that answered the optional barriers question
    can_share: dict[str, int] = field(default_factory=lambda: _zeros(TOPICS))
    want_learn: dict[str, int] = field(default_factory=lambda: _zeros(TOPICS))
    formats: dict[str, int] = field(default_factory=lambda: _zeros(FORMATS))
    barriers: dict[str, int] = field(default_factory=lambda: _zeros(BARRIERS))
    focus_areas: dict[str, int] = field(default_factory=lambda: _zeros(FOCUS_AREAS))

    def answers(self, name: str) -> dict[str, int]:
        counts: dict[str, int] = getattr(self, name)
        return counts

    def add(self, other: Counts) -> None:
        self.organisations += other.organisations
        self.cross_border += other.cross_border
        self.named_barriers += other.named_barriers
        for name in ("can_share", "want_learn", "formats", "barriers", "focus_areas"):
            mine, theirs = self.answers(name), other.answers(name)
            for code, count in theirs.items():
                mine[code] = mine.get(code, 0) + count

    def gap(self, code: str) -> int:
        """How many more organisations want the topic than can share it."""
        return self.want_learn[code] - self.can_share[code]

    def gaps(self) -> list[str]:
        """Topics by how much more they are wanted than offered, largest gap first (ties
        in the vocabulary's order: the sort is stable)."""
        return sorted(TOPICS.codes, key=lambda code: -self.gap(code))


@dataclass(frozen=True)
class Overview:
    """Users, the counted organisations per country code (with their answers), and
    introductions and what came of them."""

    users: int
    by_country: dict[str, Counts]
    requests: dict[str, int] = field(default_factory=dict)  # per status
    outcomes: dict[str, int] = field(default_factory=dict)  # "what came of it" answers

    def of(self, countries: Iterable[str] | None) -> Counts:
        """The indicators summed over `countries` (None: every organisation)."""
        total = Counts()
        for code in self.by_country if countries is None else countries:
            if code in self.by_country:
                total.add(self.by_country[code])
        return total

    def view(self, view: str) -> Counts:
        """The indicators of a view: all, a group or a country."""
        if view == ALL:
            return self.of(None)
        return self.of(GROUPS.get(view, (view,)))

    @property
    def organisations(self) -> int:
        return sum(counts.organisations for counts in self.by_country.values())

    def countries(self) -> list[tuple[str, int]]:
        """Known countries with organisations, most organisations first."""
        found = [
            (code, counts.organisations)
            for code, counts in self.by_country.items()
            if code in COUNTRIES and counts.organisations
        ]
        return sorted(found, key=lambda item: (-item[1], COUNTRIES.codes.index(item[0])))


async def overview(sessions: Sessions) -> Overview:
    """Count users, organisations and their answers per country (barriers and those that
    named any included), introductions and their outcomes: grouped queries only, one row
    per country."""
    bits = {column: len(vocabulary.codes) for column, (_name, vocabulary) in _MASKS.items()}
    async with reading(sessions) as session:
        users = await queries.count_users(session)
        answers = await queries.answers_by_country(session, bits)
        requests = await queries.count_requests_by_status(session)
        outcomes = await queries.count_outcomes(session)
    by_country: dict[str, Counts] = {}
    for country, total, crossed, named, per_column in answers:
        counts = by_country[country] = Counts(total, crossed, named)
        for column, values in per_column.items():
            name, vocabulary = _MASKS[column]
            counts.answers(name).update(zip(vocabulary.codes, values, strict=True))
    return Overview(users, by_country, requests, outcomes)


WEEKS: Final = 12


@dataclass(frozen=True)
class Network:
    """The network at work: contact requests (per status, across borders or within one
    country, the median time to an answer), what came of them, events by kind, and the
    last `WEEKS` weeks (Mondays, UTC) of new organisations, requests and acceptances."""

    requests: dict[str, int]
    median_answer: float | None  # seconds
    outcomes: dict[str, int]
    across: dict[str, int]  # status → requests between organisations of two countries
    within: dict[str, int]  # status → requests within one country
    events: dict[str, tuple[int, int, int]]  # kind → published, announced to, attending
    weeks: list[datetime]
    new_organisations: list[int]
    new_requests: list[int]
    acceptances: list[int]
    calls_across: dict[str, int] = field(default_factory=dict)  # proposed, agreed, held
    calls_within: dict[str, int] = field(default_factory=dict)
    median_to_call: float | None = None  # seconds from an introduction to its call
    exchange: Exchange = field(default_factory=Exchange)  # organisations' posts, answers


def week_starts(now: datetime) -> list[datetime]:
    """The Mondays (00:00 UTC) that start the last `WEEKS` weeks, this one last."""
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return [monday - timedelta(weeks=WEEKS - 1 - index) for index in range(WEEKS)]


async def network(sessions: Sessions, now: datetime) -> Network:
    """Count introductions, events and the weekly series: grouped queries only."""
    starts = week_starts(now)
    async with reading(sessions) as session:
        requests = await queries.count_requests_by_status(session)
        median = await queries.median_answer_seconds(session)
        outcomes = await queries.count_outcomes(session)
        crossing = await queries.requests_by_crossing(session)
        events = await queries.events_by_kind(session)
        organisations, sent, accepted = await queries.weekly(session, starts)
        calls = await queries.calls_by_crossing(session, now)
        to_call = await queries.median_seconds_to_call(session, now)
        shared = await exchange.load(session)
    across: dict[str, int] = {}
    within: dict[str, int] = {}
    for is_across, status, count in crossing:
        side = across if is_across else within
        side[status] = side.get(status, 0) + count
    calls_across: dict[str, int] = {}
    calls_within: dict[str, int] = {}
    for is_across, stage, count in calls:
        side = calls_across if is_across else calls_within
        side[stage] = side.get(stage, 0) + count
    return Network(
        requests, median, outcomes, across, within, events, starts, organisations, sent,
        accepted, calls_across, calls_within, to_call, shared,
    )  # fmt: skip
