"""What the events' end-to-end tests share: the bot polling with a frozen clock, subscribers
that do and do not match a webinar, a webinar's draft, a published event."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import scheduler
from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.handlers.events import drafts, preferences, publishing
from bot.handlers.events.drafts import Draft
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.directory_helpers import FrozenClock, make_org
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 14:00 in Almaty, 12:00 in Moscow
START = datetime(2026, 12, 14, 15, 0, tzinfo=UTC)
KZ_RU, KZ_EN, KZ_FUNDS, RU_RU, KZ_OFF, KZ_NO_WEBINARS = 501, 502, 503, 504, 505, 506


@asynccontextmanager
async def event_bot(
    settings: Settings, sessions: Sessions, fake: FakeTelegram, clock: FrozenClock
) -> AsyncIterator[scheduler.Runtime]:
    """The bot polling `fake` with `clock`; yields what the scheduler's jobs run with."""
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=clock)
    async with polling(dp, bot, fake):
        yield scheduler.Runtime(bot, sessions, dp["notifier"], clock, settings.default_language)


async def subscribers(sessions: Sessions) -> None:
    """Organisations that do and do not match a webinar on impact for Kazakhstan."""
    await make_org(sessions, KZ_RU, language="ru", country="KZ", want_learn=["impact"])
    await make_org(sessions, KZ_EN, language="en", country="KZ", want_learn=["impact", "legal"])
    await make_org(sessions, KZ_FUNDS, language="en", country="KZ", want_learn=["fundraising"])
    await make_org(sessions, RU_RU, language="ru", country="RU", want_learn=["impact"])
    await make_org(sessions, KZ_OFF, language="en", country="KZ", want_learn=["impact"])
    await preferences.unsubscribe(sessions, KZ_OFF)
    await make_org(sessions, KZ_NO_WEBINARS, language="en", country="KZ", want_learn=["impact"])
    await preferences.toggle_kind(sessions, KZ_NO_WEBINARS, "webinar")


def webinar(**changes: Any) -> Draft:
    values: dict[str, Any] = {
        "kind": "webinar",
        "title": "Measuring impact <for real>",
        "description": "Two hours on indicators.",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "time_zone": "UTC",
        "link": "https://meet.example.org/impact",
        "topics": ("impact",),
        "countries": ("KZ",),
    }
    values.update(changes)
    return Draft(**values)


async def published(sessions: Sessions, now: datetime = NOW, **changes: Any) -> int:
    event_id = await drafts.save(sessions, webinar(**changes), ADMIN_ID, now)
    assert await publishing.publish(sessions, event_id, now, "ru") is not None
    return event_id


def texts_of(fake: FakeTelegram, user_id: int) -> list[str]:
    return [str(m.get("text") or m.get("caption") or "") for m in fake.chat_messages(user_id)]
