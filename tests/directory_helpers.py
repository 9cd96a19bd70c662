"""Organisations made straight through the services, a clock tests can move, and the
bot wired to both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from bot import users
from bot.app import create_bot, create_dispatcher
from bot.clock import Clock
from bot.config import Settings
from bot.handlers.onboarding import profiles
from db.engine import Sessions, writing
from db.models import Organisation
from tests.conversation import Conversation
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram
from tests.i18n_helpers import tr

BASE: dict[str, Any] = {
    "name": "Organisation",
    "country": "KZ",
    "city": "Almaty",
    "focus_areas": ["children"],
    "can_share": ["fundraising"],
    "want_learn": ["impact"],
    "formats": ["webinars"],
    "cross_border": False,
    "barriers": [],
    "languages": ["ru"],
    "description": None,
    "website": "https://example.org",
    "contact": "org@example.org",
    "consent": True,
}


class FrozenClock(Clock):
    """A clock that stands still until moved."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


async def make_org(
    sessions: Sessions,
    user_id: int,
    *,
    language: str = "en",
    first_name: str = "Owner",
    username: str | None = None,
    **answers: Any,
) -> int:
    """A user with a saved organisation; returns the organisation's id."""
    await users.touch_user(sessions, user_id, first_name, username, is_admin=False)
    await users.set_language(sessions, user_id, language)
    profile = await profiles.save_profile(sessions, user_id, {**BASE, **answers})
    return profile.id


async def set_org(sessions: Sessions, org_id: int, **values: Any) -> None:
    """Change columns of an organisation directly (badge dates, status, audience)."""
    async with writing(sessions) as session:
        await session.execute(
            update(Organisation).where(Organisation.id == org_id).values(**values)
        )


@asynccontextmanager
async def bot_with_clock(
    settings: Settings,
    sessions: Sessions,
    fake: FakeTelegram,
    clock: Clock,
) -> AsyncIterator[tuple[Any, Any]]:
    """The real bot polling the fake server, with `clock` injected; yields (bot, dp)."""
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=clock)
    async with polling(dp, bot, fake):
        yield bot, dp


async def search_words(chat: Conversation, language: str, words: str) -> str:
    """From anywhere: the menu, Find partners, Words, `words`; the reply's text."""
    await chat.send("/menu")
    await chat.click(tr(language, "🔎 Find partners"))
    await chat.click(tr(language, "Words") + ":")
    await chat.send(words)
    return chat.last_text()


def more_alerts(chat: Conversation, before: int) -> bool:
    """Whether the chat has more callback alerts than `before` (for `wait_for`)."""
    return len(chat.alerts) > before
