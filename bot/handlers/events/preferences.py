"""Each user's event settings: on or off, kinds, topics, zone, digest."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update

from bot import zones
from bot.i18n import current_locale
from bot.taxonomy import EVENT_KINDS, TOPICS
from db.engine import Sessions, reading, writing
from db.models import Membership, Notice, Organisation, User


async def zone_of(sessions: Sessions, user_id: int) -> str:
    """The time zone dates are shown in to this user (chosen, else their country's)."""
    return (await settings_of(sessions, user_id, current_locale())).zone


async def unsubscribe(sessions: Sessions, user_id: int) -> None:
    """No more announcements; those waiting for the morning are dropped now."""
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(events_on=False))
        await session.execute(
            update(Notice)
            .where(Notice.user_id == user_id, Notice.kind == "announce")
            .where(Notice.state == "pending")
            .values(state="dropped")
        )


@dataclass(frozen=True)
class EventSettings:
    """A user's event settings, with the zone in effect."""

    on: bool
    kinds: list[str] | None
    zone: str
    topics: list[str] = field(default_factory=list)  # chosen, else the profile's "want to learn"
    digest: bool = True  # the weekly digest


async def settings_of(sessions: Sessions, user_id: int, language: str) -> EventSettings:
    """Announcements on or off, kinds followed (None: all) and the time zone (by default
    that of the organisation's country, else of `language`, the one the user reads)."""
    async with reading(sessions) as session:
        row = (
            await session.execute(
                select(
                    User.events_on,
                    User.event_kinds,
                    User.time_zone,
                    User.language,
                    User.event_topics,
                    User.digest_on,
                ).where(User.id == user_id)
            )
        ).first()
        org = (
            await session.execute(
                select(Organisation.country, Organisation.learn_mask)
                .join(Membership, Membership.organisation_id == Organisation.id)
                .where(Membership.user_id == user_id)
            )
        ).first()
    country, learn_mask = org if org is not None else (None, 0)
    if row is None:
        return EventSettings(True, None, zones.zone_name(None, None, language))
    on, kinds, zone, chosen_language, topics, digest = row
    return EventSettings(
        bool(on),
        kinds,
        zones.zone_name(zone, country, chosen_language or language),
        list(topics) if topics is not None else _codes(TOPICS.codes, learn_mask or 0),
        bool(digest),
    )


def _codes(codes: tuple[str, ...], bits: int) -> list[str]:
    return [code for index, code in enumerate(codes) if bits >> index & 1]


async def toggle_topic(
    sessions: Sessions, user_id: int, code: str, current: list[str]
) -> list[str]:
    """Follow or stop following announcements on one topic; `current` is what the user
    follows now (at first their profile's "want to learn")."""
    if code not in TOPICS:
        return current
    chosen = set(current) ^ {code}
    topics = [c for c in TOPICS.codes if c in chosen]
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(event_topics=topics))
    return topics


async def set_events_on(sessions: Sessions, user_id: int, on: bool) -> None:
    """Turn announcements on (or off, as /unsubscribe does)."""
    if not on:
        await unsubscribe(sessions, user_id)
        return
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(events_on=True))


async def set_digest_on(sessions: Sessions, user_id: int, on: bool) -> None:
    """The weekly digest on or off."""
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(digest_on=on))


async def toggle_kind(sessions: Sessions, user_id: int, code: str) -> list[str] | None:
    """Follow or stop following one kind of event; returns the kinds followed (None: all)."""
    async with writing(sessions) as session:
        user = await session.get(User, user_id)
        if user is None or code not in EVENT_KINDS:
            return None
        followed = set(EVENT_KINDS.codes if user.event_kinds is None else user.event_kinds)
        followed ^= {code}
        user.event_kinds = (
            None
            if followed == set(EVENT_KINDS.codes)
            else [c for c in EVENT_KINDS.codes if c in followed]
        )
        return user.event_kinds


async def set_zone(sessions: Sessions, user_id: int, zone: str) -> None:
    """Remember the user's time zone (a name `zones.known` accepted)."""
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(time_zone=zone))
