"""Users: who is writing, in which language, in which time zone, with the digest or not."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import select, update

from bot import zones
from bot.i18n import current_locale
from db.engine import Sessions, reading, writing
from db.models import Membership, Organisation, User


@dataclass(frozen=True)
class UserInfo:
    """What the handlers need to know about the user behind an update."""

    id: int
    language: str | None
    is_admin: bool


async def touch_user(
    sessions: Sessions,
    user_id: int,
    first_name: str,
    username: str | None,
    *,
    is_admin: bool,
) -> UserInfo:
    """Record the user (first contact, new names, back from blocking the bot).
    Most updates come from a known, unchanged user: that costs one read and no write."""
    first_name = first_name[:256]
    async with reading(sessions) as session:
        known = (
            await session.execute(
                select(User.language, User.first_name, User.username, User.is_active).where(
                    User.id == user_id
                )
            )
        ).first()
    if known is not None and tuple(known[1:]) == (first_name, username, True):
        return UserInfo(user_id, known[0], is_admin)
    async with writing(sessions) as session:
        user = await session.get(User, user_id)
        if user is None:
            user = User(id=user_id, first_name=first_name, username=username, is_active=True)
            session.add(user)
        else:
            if user.first_name != first_name or user.username != username:
                user.first_name, user.username = first_name, username
            if not user.is_active:  # writing to the bot again after blocking it
                user.is_active = True
        return UserInfo(user.id, user.language, is_admin)


async def set_language(sessions: Sessions, user_id: int, language: str) -> None:
    """Remember the user's interface language."""
    async with writing(sessions) as session:
        user = await session.get(User, user_id)
        if user is not None:
            user.language = language


async def languages(sessions: Sessions, user_ids: Iterable[int], default: str) -> dict[int, str]:
    """The interface language of each of `user_ids` (the default if not yet chosen)."""
    ids = list(user_ids)
    async with reading(sessions) as session:
        rows = await session.execute(select(User.id, User.language).where(User.id.in_(ids)))
        chosen = {user_id: language for user_id, language in rows if language}
    return {user_id: chosen.get(user_id, default) for user_id in ids}


async def has_profile(sessions: Sessions, user_id: int) -> bool:
    """Whether the user belongs to an organisation (the main menu and /start ask; the
    organisation's profile itself is bot/handlers/profile/)."""
    async with reading(sessions) as session:
        found = await session.scalar(
            select(Membership.organisation_id).where(Membership.user_id == user_id)
        )
        return found is not None


async def organisation_status(sessions: Sessions, user_id: int) -> str | None:
    """The status of the user's organisation (active, hidden, banned), None without one
    (the main menu offers 📣 Offer or seek to members of an active one)."""
    async with reading(sessions) as session:
        return await session.scalar(
            select(Organisation.status)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user_id)
        )


@dataclass(frozen=True)
class UserSettings:
    """A user's own settings that several features read: the zone dates are shown in and
    the weekly digest switch (event announcements are events' own, see its preferences)."""

    zone: str
    digest: bool = True
    partner_calls: bool = True  # other organisations' partner calls announced


async def settings_of(sessions: Sessions, user_id: int, language: str) -> UserSettings:
    """The time zone (chosen, by default that of the organisation's country, else of
    `language`, the one the user reads) and the digest switch."""
    async with reading(sessions) as session:
        row = (
            await session.execute(
                select(
                    User.time_zone,
                    User.language,
                    User.digest_on,
                    Organisation.country,
                    User.partner_calls_on,
                )
                .outerjoin(Membership, Membership.user_id == User.id)
                .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
                .where(User.id == user_id)
            )
        ).first()
    if row is None:
        return UserSettings(zones.zone_name(None, None, language))
    zone, chosen_language, digest, country, calls = row
    return UserSettings(
        zones.zone_name(zone, country, chosen_language or language), bool(digest), bool(calls)
    )


async def zone_of(sessions: Sessions, user_id: int) -> str:
    """The time zone dates are shown in to this user (chosen, else their country's)."""
    return (await settings_of(sessions, user_id, current_locale())).zone


async def set_zone(sessions: Sessions, user_id: int, zone: str) -> None:
    """Remember the user's time zone (a name `zones.known` accepted)."""
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(time_zone=zone))


async def set_digest_on(sessions: Sessions, user_id: int, on: bool) -> None:
    """The weekly digest on or off."""
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(digest_on=on))


async def set_partner_calls_on(sessions: Sessions, user_id: int, on: bool) -> None:
    """Other organisations' partner calls announced, or not."""
    async with writing(sessions) as session:
        await session.execute(update(User).where(User.id == user_id).values(partner_calls_on=on))


class KnownUsers:
    """Users as the bot sees them on every update.

    With `cache_size` > 0 it remembers known users in memory, so that an update from an
    unchanged user costs no query; every change is written through. Only correct when this
    process is the database's only writer (the SQLite deployment)."""

    def __init__(
        self,
        sessions: Sessions,
        admin_ids: Collection[int],
        *,
        cache_size: int = 0,
    ) -> None:
        self._sessions = sessions
        self._admin_ids = admin_ids
        self._cache_size = cache_size
        self._known: OrderedDict[int, tuple[str | None, str, str | None]] = OrderedDict()

    async def touch(self, user_id: int, first_name: str, username: str | None) -> UserInfo:
        """The user behind an update, recorded on first contact or when names change."""
        is_admin = user_id in self._admin_ids
        known = self._known.get(user_id)
        if known is not None and known[1:] == (first_name[:256], username):
            self._known.move_to_end(user_id)
            return UserInfo(user_id, known[0], is_admin)
        info = await touch_user(self._sessions, user_id, first_name, username, is_admin=is_admin)
        self._remember(user_id, (info.language, first_name[:256], username))
        return info

    async def set_language(self, user_id: int, language: str) -> None:
        """Remember the user's interface language."""
        await set_language(self._sessions, user_id, language)
        known = self._known.get(user_id)
        if known is not None:
            self._remember(user_id, (language, *known[1:]))

    async def mark_blocked(self, user_id: int) -> None:
        """The user blocked the bot: stop counting them as active until they write again."""
        async with writing(self._sessions) as session:
            user = await session.get(User, user_id)
            if user is not None:
                user.is_active = False
        self._known.pop(user_id, None)

    async def is_active(self, user_id: int) -> bool:
        """False for a user who blocked the bot and has not written since (unknown: True)."""
        async with reading(self._sessions) as session:
            active = await session.scalar(select(User.is_active).where(User.id == user_id))
        return active is not False

    def forget(self, user_ids: Iterable[int]) -> None:
        """Drop remembered users whose rows changed elsewhere (marked inactive in bulk)."""
        for user_id in user_ids:
            self._known.pop(user_id, None)

    async def languages(self, user_ids: Iterable[int], default: str) -> dict[int, str]:
        """The interface language of each user (the default if not yet chosen)."""
        return await languages(self._sessions, user_ids, default)

    def _remember(self, user_id: int, entry: tuple[str | None, str, str | None]) -> None:
        if self._cache_size <= 0:
            return
        self._known[user_id] = entry
        self._known.move_to_end(user_id)
        while len(self._known) > self._cache_size:
            self._known.popitem(last=False)
