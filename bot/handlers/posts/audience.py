"""An approved partner call's audience queued by the scheduler, a batch of organisations
at a time, rather than inside the admin's press (the widest calls reach 168,000 people).

The approval marks the call (`partner_calls.audience_cursor` = 0, announcing.queue). Each
run of the scheduler's "due" job then queues one batch of each such call: the next BATCH
organisations the call suits, in id order; their people counted per time zone, each zone's
due time worked out once (now, or when its quiet hours end, bot.zones), and a notice row
written for each who has none, by one INSERT … SELECT. The cursor moves in the same
transaction, by an UPDATE that holds only if it had not moved (the call row locked first
on PostgreSQL; SQLite's writers take turns), so two workers never queue the same batch and
a stop between two batches loses nothing and repeats nothing (the next run goes on from
the cursor; a notice is unique per call and person anyway). Only approved, open calls
expand: a call sent back to review pauses, its re-approval starts again from the first
organisation (those queued already are skipped), a closed or withdrawn call stops. While
a call has organisations left, `next_due` says "now", so that the next batch is not a
sweep (10 minutes) away."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from bot import zones
from bot.handlers.posts import audience_queries
from bot.handlers.posts.announcing import topics_mask
from bot.handlers.posts.audience_queries import Audience, Span
from bot.scheduler import Runtime
from db.engine import Sessions, reading, writing

BATCH: Final = 1000  # organisations queued at a time (1 to 5 people each in the bench)


async def expand(sessions: Sessions, call_id: int, now: datetime) -> int | None:
    """Queue the call's next batch: how many notices were added; None if it had nothing
    left to queue (done, paused, closed), or another worker queued this batch first."""
    async with writing(sessions) as session:
        call = await audience_queries.lock_expanding(session, call_id)
        if call is None or call.audience_cursor is None:
            return None
        cursor = call.audience_cursor
        audience = Audience(
            call.host_organisation_id, topics_mask(tuple(call.topics)), list(call.countries)
        )
        found = await audience_queries.next_organisations(session, audience, cursor, BATCH + 1)
        batch = tuple(found[:BATCH])
        last = batch[-1] if len(found) > BATCH else None  # None: the last batch
        if not await audience_queries.advance(session, call_id, cursor, last):
            return None
        if not batch:
            return 0
        span = Span(among=batch)  # exactly these: their members, none of the others'
        people = await audience_queries.audience_zones(session, audience, span)
        due = {zone: zones.outside_quiet_hours(now, zone) for zone, _count in people}
        later = {zone: moment for zone, moment in due.items() if moment != now}
        return await audience_queries.add_audience_notices(
            session, call_id, audience, span, later, now
        )


async def expand_due(runtime: Runtime) -> int:
    """The scheduler's duty: one batch of each call whose audience is still to be queued;
    how many notices were queued."""
    async with reading(runtime.sessions) as session:
        expanding = await audience_queries.expanding(session)
    queued = 0
    for call_id in expanding:
        queued += await expand(runtime.sessions, call_id, runtime.clock.now()) or 0
    return queued


async def next_due(sessions: Sessions) -> datetime | None:
    """A moment past (when the call was approved) while a call has organisations left to
    queue: the scheduler runs again at once."""
    async with reading(sessions) as session:
        return await audience_queries.expanding_since(session)
