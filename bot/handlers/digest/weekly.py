"""The weekly digest: on Monday morning in each user's time zone, the week's new events
meant for them, the week's new partner calls that suit their organisation (those not
announced to them already) and the week's new organisations that fit them.

Each user's week is claimed (`users.digest_week`) before the message is sent, so a digest
reaches a user at most once a week; one lost to a crash between the two is not resent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot import zones
from bot.handlers.digest import queries
from bot.handlers.directory import search
from bot.handlers.directory.search import Card
from bot.handlers.events import listings
from bot.handlers.events.drafts import EventInfo
from bot.handlers.find import offers
from bot.handlers.posts.calls import CallInfo
from db.engine import Sessions, reading, writing

SEND_FROM: Final = time(10)  # on Monday, in the user's zone (and within 09:00–21:00) …
CATCH_UP_DAYS: Final = 1  # … or on Tuesday, if the bot was down on Monday; later, skipped
WEEK: Final = timedelta(days=7)
EVENTS_MAX: Final = 5
PARTNERS_MAX: Final = 3
CALLS_MAX: Final = 5


@dataclass(frozen=True)
class Recipient:
    """A user whose digest for `week` is due."""

    user_id: int
    language: str
    zone: str
    week: str  # ISO week in the user's zone, e.g. "2026-W49"


@dataclass(frozen=True)
class Digest:
    """What one user's digest says."""

    recipient: Recipient
    events: list[EventInfo]
    partners: list[Card]
    calls: list[CallInfo] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing new for this user: no message."""
        return not self.events and not self.partners and not self.calls


def may_be_due(now: datetime) -> bool:
    """Whether a digest can be due anywhere at `now` (UTC): Monday 10:00 at UTC+14 is
    Sunday 20:00 UTC, Tuesday 21:00 at UTC-12 is Wednesday 09:00 UTC. Outside that, the
    sweep need not read every user."""
    utc = now.astimezone(UTC)
    hours = utc.weekday() * 24 + utc.hour  # since Monday 00:00 UTC
    return hours >= 6 * 24 + 20 or hours < 2 * 24 + 9


def week_due(now: datetime, zone: str) -> str | None:
    """The ISO week whose digest may go out at `now` in `zone`, or None: from Monday
    10:00 local time to Tuesday evening, within the hours announcements keep."""
    local = now.astimezone(ZoneInfo(zone))
    year, week, weekday = local.isocalendar()
    monday = local.date() - timedelta(days=weekday - 1)
    opens = datetime.combine(monday, SEND_FROM, tzinfo=local.tzinfo)
    if local < opens or weekday > 1 + CATCH_UP_DAYS:
        return None
    if not zones.QUIET_END <= local.time() < zones.QUIET_START:
        return None
    return f"{year}-W{week:02d}"


async def recipients(sessions: Sessions, now: datetime, default_language: str) -> list[Recipient]:
    """Active users with the digest on whose digest for their current week is due."""
    if not may_be_due(now):
        return []
    async with reading(sessions) as session:
        rows = await queries.readers(session)
        due = []
        for user_id, language, chosen_zone, last_week, country in rows:
            language = language or default_language
            zone = zones.zone_name(chosen_zone, country, language)
            week = week_due(now, zone)
            if week is not None and week != last_week:
                due.append(Recipient(user_id, language, zone, week))
        return due


async def compose(
    sessions: Sessions,
    recipient: Recipient,
    recent: list[tuple[EventInfo, frozenset[int]]],
    now: datetime,
    calls: list[CallInfo] | None = None,
) -> Digest:
    """The recipient's digest: events from `recent` (events of the week with their
    audiences) meant for them and not yet known to them (announced or answered), the week's
    partner calls that suit their organisation and were not announced to them, and new
    organisations that fit their own. `calls`: the week's open partner calls
    (`find.offers.recent_calls`, read once for the run)."""
    meant = [event for event, audience in recent if recipient.user_id in audience]
    known = await listings.known_to(sessions, recipient.user_id, [e.id for e in meant])
    meant = [event for event in meant if event.id not in known]
    mine = await search.me(sessions, recipient.user_id, now)
    partners = []
    if mine is not None and not mine.banned:
        partners = await search.newcomers(sessions, mine, now - WEEK, now, PARTNERS_MAX)
    suited = await offers.calls_for(sessions, recipient.user_id, calls or [], CALLS_MAX)
    return Digest(recipient, meant[:EVENTS_MAX], partners, suited)


async def claim(sessions: Sessions, recipient: Recipient) -> bool:
    """Mark the recipient's week as done; False if it already was (by another run)."""
    async with writing(sessions) as session:
        return await queries.claim_week(session, recipient.user_id, recipient.week)
