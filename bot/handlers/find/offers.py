"""Calls and offers: what is open now, for one reader. A partner call is open while it is
approved, not closed and its deadline (a day in the host's zone) has not passed; an event or
internship an organisation hosts while it is published, not cancelled, not ended and (an
internship) taking applications. Filters: a kind ("call" or an event kind), a topic and a
country; a post naming no topics (or no countries) is for any, so every such filter keeps
it. The reader's own organisation's posts are listed marked as theirs, never answerable.
No Telegram here: the chat, the Mini App, the digest and the channel share it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.handlers.events.drafts import EventInfo
from bot.handlers.events.drafts import info_of as event_info_of
from bot.handlers.find import queries
from bot.handlers.posts.calls import CallInfo
from bot.handlers.posts.calls import info_of as call_info_of
from bot.taxonomy import COUNTRIES, EVENT_KINDS, TOPICS
from db.engine import Sessions, reading
from db.models import Event, PartnerCall

PAGE_SIZE: Final = 5
CALL: Final = "call"
KINDS: Final[tuple[str, ...]] = (CALL, *EVENT_KINDS.codes)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the list to ("" each: any)."""

    kind: str = ""
    topic: str = ""
    country: str = ""

    @classmethod
    def checked(cls, kind: str = "", topic: str = "", country: str = "") -> Filters:
        """Filters from outside (callback data, a query string): unknown codes refused."""
        if kind and kind not in KINDS:
            raise ValueError("kind")
        if topic and topic not in TOPICS.codes:
            raise ValueError("topic")
        if country and country not in COUNTRIES.codes:
            raise ValueError("country")
        return cls(kind, topic, country)


@dataclass(frozen=True)
class Offer:
    """One open post: a partner call or a hosted event, as lists show it."""

    kind: str  # "call", or the event's kind
    id: int
    title: str
    host: str
    host_id: int
    topics: tuple[str, ...]
    countries: tuple[str, ...]
    since: datetime  # approved (a call) or published (an event): newest first
    mine: bool  # the reader's own organisation's: not answerable

    @property
    def is_call(self) -> bool:
        return self.kind == CALL

    @property
    def link_payload(self) -> str:
        """What `/start` carries to open it in the bot: call_<id> or event_<id>."""
        return f"call_{self.id}" if self.is_call else f"event_{self.id}"


@dataclass(frozen=True)
class OfferPage:
    offers: list[Offer] = field(default_factory=list)
    number: int = 0
    has_next: bool = False
    total: int = 0


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return _EPOCH
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def call_is_open(row: PartnerCall, now: datetime) -> bool:
    """Approved, not closed, its last day not past in the host's zone."""
    if row.review != "approved" or row.closed_at is not None:
        return False
    return row.deadline >= now.astimezone(ZoneInfo(row.time_zone)).date()


def event_is_open(row: Event, now: datetime) -> bool:
    """Hosted by an organisation, published, not ended, taking applications."""
    return (
        row.host_organisation_id is not None
        and row.status == "published"
        and row.review == "approved"
        and _aware(row.ends_at) > now
        and row.applications_closed_at is None
        and (row.kind != "internship" or row.deadline is None or _aware(row.deadline) > now)
    )


def _call_offer(row: PartnerCall, host: str, mine: int | None) -> Offer:
    return Offer(
        CALL,
        row.id,
        row.title,
        host,
        row.host_organisation_id,
        tuple(row.topics or ()),
        tuple(row.countries or ()),
        _aware(row.reviewed_at or row.created_at),
        row.host_organisation_id == mine,
    )


def _event_offer(row: Event, host: str, mine: int | None) -> Offer:
    host_id = row.host_organisation_id or 0
    return Offer(
        row.kind,
        row.id,
        row.title,
        host,
        host_id,
        tuple(row.topics or ()),
        tuple(row.countries or ()),
        _aware(row.published_at or row.created_at),
        host_id == mine,
    )


def matches(offer: Offer, filters: Filters) -> bool:
    """Whether the offer passes the filters (no topics or countries named: any)."""
    if filters.kind and offer.kind != filters.kind:
        return False
    if filters.topic and offer.topics and filters.topic not in offer.topics:
        return False
    return not (filters.country and offer.countries and filters.country not in offer.countries)


async def _all_open(sessions: Sessions, user_id: int, now: datetime) -> list[Offer]:
    """Every open post, newest first, marked as the reader's own where it is."""
    async with reading(sessions) as session:
        mine = await queries.organisation_of(session, user_id)
        calls = [
            row
            for row in await queries.open_calls(session, now.date() - timedelta(days=1))
            if call_is_open(row, now)
        ]
        events = await queries.open_events(session, now)
        hosts = {row.host_organisation_id for row in calls}
        hosts |= {row.host_organisation_id for row in events if row.host_organisation_id}
        named = await queries.names(session, hosts)
    found = [_call_offer(row, named.get(row.host_organisation_id, ""), mine) for row in calls]
    found += [
        _event_offer(row, named.get(row.host_organisation_id or 0, ""), mine)
        for row in events
        if event_is_open(row, now)
    ]
    found.sort(key=lambda offer: (offer.since, offer.is_call, offer.id), reverse=True)
    return found


async def find(
    sessions: Sessions,
    user_id: int,
    filters: Filters,
    now: datetime,
    page: int = 0,
    size: int = PAGE_SIZE,
) -> OfferPage:
    """A page of what is open for `user_id`, filtered, newest first."""
    found = [offer for offer in await _all_open(sessions, user_id, now) if matches(offer, filters)]
    last = max((len(found) - 1) // size, 0)
    page = min(max(page, 0), last)
    shown = found[page * size : (page + 1) * size]
    return OfferPage(shown, page, (page + 1) * size < len(found), len(found))


async def open_call(sessions: Sessions, call_id: int, now: datetime) -> CallInfo | None:
    """The call, if it is open."""
    async with reading(sessions) as session:
        row = await session.get(PartnerCall, call_id)
        if row is None or not call_is_open(row, now):
            return None
        return await call_info_of(session, row)


async def open_event(sessions: Sessions, event_id: int, now: datetime) -> EventInfo | None:
    """The hosted event or internship, if it is open."""
    async with reading(sessions) as session:
        row = await session.get(Event, event_id)
        if row is None or not event_is_open(row, now):
            return None
        host = await queries.names(session, {row.host_organisation_id or 0})
        return event_info_of(row, host=host.get(row.host_organisation_id or 0))


async def is_mine(sessions: Sessions, user_id: int, host_id: int) -> bool:
    """Whether the user belongs to the organisation `host_id`."""
    async with reading(sessions) as session:
        return await queries.organisation_of(session, user_id) == host_id


def _mask(codes: tuple[str, ...]) -> int:
    return sum(1 << TOPICS.codes.index(code) for code in codes if code in TOPICS.codes)


async def recent_calls(sessions: Sessions, since: datetime, now: datetime) -> list[CallInfo]:
    """Calls approved since `since` and still open, newest first (read once for a whole
    run of digests; `calls_for` picks each reader's). Not those whose audience the
    scheduler is still queueing (`audience_cursor` set): each reader they suit gets the
    announcement, which would come after the digest for those not queued yet."""
    async with reading(sessions) as session:
        rows = [
            row
            for row in await queries.open_calls(session, now.date() - timedelta(days=1))
            if call_is_open(row, now)
            and _aware(row.reviewed_at or row.created_at) >= since
            and row.audience_cursor is None
        ]
        return [await call_info_of(session, row) for row in rows]


async def calls_for(
    sessions: Sessions, user_id: int, recent: list[CallInfo], limit: int = 5
) -> list[CallInfo]:
    """Of `recent`, the calls that suit the reader as announcements choose (their
    organisation active and not the host, its can-share topics meeting the call's, its
    country wanted, the reader's partner calls on) and were not announced to them."""
    if not recent:
        return []
    async with reading(sessions) as session:
        reader = await queries.reader_profile(session, user_id)
        if reader is None or not await queries.partner_calls_on(session, user_id):
            return []
        org_id, country, share_mask, status = reader
        if status != "active":
            return []
        suits = [
            call
            for call in recent
            if call.host_id != org_id
            and (not call.draft.topics or share_mask & _mask(call.draft.topics))
            and (not call.draft.countries or country in call.draft.countries)
        ]
        told = await queries.calls_announced_to(session, user_id, [call.id for call in suits])
        return [call for call in suits if call.id not in told][:limit]
