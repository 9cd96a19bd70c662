"""Each user's subscription to announcements: on or off, kinds, topics (the time zone and the
digest switch are the user's own settings: bot/users.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import navigation
from bot.handlers.events import queries
from bot.taxonomy import EVENT_KINDS, TOPICS
from db.engine import Sessions, reading, writing
from db.models import User


async def unsubscribe(sessions: Sessions, user_id: int) -> None:
    """No more announcements; those waiting for the morning are dropped now."""
    async with writing(sessions) as session:
        await queries.set_events_on(session, user_id, False)
        await queries.drop_announcements(session, user_id)


@dataclass(frozen=True)
class Subscription:
    """What a user follows of the events' announcements (their time zone and the digest
    switch are their own settings: bot/users.py)."""

    on: bool
    kinds: list[str] | None
    topics: list[str] = field(default_factory=list)  # chosen, else the profile's "want to learn"


async def subscription_of(sessions: Sessions, user_id: int) -> Subscription:
    """Announcements on or off, kinds followed (None: all) and topics followed."""
    async with reading(sessions) as session:
        row = await queries.subscription(session, user_id)
    if row is None:
        return Subscription(True, None)
    on, kinds, topics, learn_mask = row
    return Subscription(
        bool(on),
        kinds,
        list(topics) if topics is not None else _codes(TOPICS.codes, learn_mask or 0),
    )


def _codes(codes: tuple[str, ...], bits: int) -> list[str]:
    return [code for index, code in enumerate(codes) if bits >> index & 1]


async def toggle_topic(
    sessions: Sessions, user_id: int, code: str, current: list[str]
) -> list[str]:
    """Follow or stop following announcements on one topic; `current` is what the user
    follows now (at first their profile's "want to learn"). An unknown code is refused
    as a forged press (`navigation.Refused`: the button is out of date)."""
    if code not in TOPICS:
        raise navigation.Refused
    chosen = set(current) ^ {code}
    topics = [c for c in TOPICS.codes if c in chosen]
    async with writing(sessions) as session:
        await queries.set_topics(session, user_id, topics)
    return topics


async def set_events_on(sessions: Sessions, user_id: int, on: bool) -> None:
    """Turn announcements on (or off, as /unsubscribe does)."""
    if not on:
        await unsubscribe(sessions, user_id)
        return
    async with writing(sessions) as session:
        await queries.set_events_on(session, user_id, True)


async def toggle_kind(sessions: Sessions, user_id: int, code: str) -> list[str] | None:
    """Follow or stop following one kind of event; returns the kinds followed (None: all).
    An unknown code is refused as a forged press (`navigation.Refused`)."""
    if code not in EVENT_KINDS:
        raise navigation.Refused
    async with writing(sessions) as session:
        user = await session.get(User, user_id)
        if user is None:
            return None
        followed = set(EVENT_KINDS.codes if user.event_kinds is None else user.event_kinds)
        followed ^= {code}
        user.event_kinds = (
            None
            if followed == set(EVENT_KINDS.codes)
            else [c for c in EVENT_KINDS.codes if c in followed]
        )
        return user.event_kinds
