"""/metrics: who may read it, counters that move with updates and Bot API calls, gauges
read from the database at the scrape, the FSM storage's and the pool's errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_bot, create_dispatcher
from bot.clock import Clock
from bot.config import Settings
from bot.health import metrics_refusal
from bot.metrics import Metrics, Sources, _ApiCalls
from db.engine import Sessions, create_engine, create_session_maker, writing
from db.models import Broadcast, Delivery, Event, Notice
from testing.servers import free_port
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser
from tests.health_helpers import sample

pytestmark = pytest.mark.databases("sqlite", "postgresql")

TOKEN = "metrics-token-for-tests"


class _Peer:
    """The transport of a request from `address`."""

    def __init__(self, address: str) -> None:
        self.address = address

    def get_extra_info(self, name: str, default: object = None) -> object:
        return (self.address, 50000) if name == "peername" else default

    def is_closing(self) -> bool:
        return False


def _request(address: str, **headers: str) -> web.Request:
    return make_mocked_request("GET", "/metrics", headers=headers, transport=_Peer(address))


def _status(refusal: web.Response | None) -> int:
    return 200 if refusal is None else refusal.status


def test_without_a_token_only_loopback_reads_metrics() -> None:
    assert _status(metrics_refusal(_request("127.0.0.1"), None)) == 200
    assert _status(metrics_refusal(_request("::1"), None)) == 200
    assert _status(metrics_refusal(_request("203.0.113.7"), None)) == 403
    assert _status(metrics_refusal(_request("10.0.0.2"), None)) == 403
    # A reverse proxy on the same machine connects from loopback: what it forwards is not.
    proxied = _request("127.0.0.1", **{"X-Forwarded-For": "203.0.113.7"})
    assert _status(metrics_refusal(proxied, None)) == 403
    assert _status(metrics_refusal(_request("127.0.0.1", Forwarded="for=1.2.3.4"), None)) == 403


def test_with_a_token_everyone_needs_it_even_on_loopback() -> None:
    right = {"Authorization": f"Bearer {TOKEN}"}
    assert _status(metrics_refusal(_request("203.0.113.7", **right), TOKEN)) == 200
    assert _status(metrics_refusal(_request("127.0.0.1", **right), TOKEN)) == 200
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": TOKEN}):
        refusal = metrics_refusal(_request("127.0.0.1", **headers), TOKEN)
        assert refusal is not None and refusal.status == 401
        assert refusal.headers["WWW-Authenticate"] == "Bearer"


async def test_counters_move_with_updates_and_bot_api_calls(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    metrics = Metrics()
    bot = create_bot(settings)
    metrics.watch_bot(bot)
    dp = create_dispatcher(settings, sessions, metrics=metrics)
    chat = Conversation(fake_telegram, TgUser(7201, "Nune", language_code="hy"))
    fake_telegram.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    async with polling(dp, bot, fake_telegram):
        await chat.send("/start")  # its answer refused: 403, the user marked blocked
        await chat.send("/start")
        await chat.send("/start")
        fake_telegram.fail_next("sendMessage", 429, retry_after=1)  # tried again after 1 s
        await chat.send("/start")
        await fake_telegram.wait_for(lambda: len(chat.texts()) == 3, 10)
    text = (await metrics.render()).decode()
    # The first handler's answer raised (the errors' handler then marked the user blocked).
    assert sample(text, "ngo_bridge_updates_total", kind="message", outcome="error") == 1
    assert sample(text, "ngo_bridge_updates_total", kind="message", outcome="handled") == 3
    assert sample(text, "ngo_bridge_update_seconds_count", kind="message") == 4
    assert sample(text, "ngo_bridge_update_seconds_sum", kind="message") >= 1  # the wait
    assert sample(text, "ngo_bridge_bot_api_calls_total", method="sendMessage", result="403") == 1
    assert sample(text, "ngo_bridge_bot_api_calls_total", method="sendMessage", result="429") == 1
    assert sample(text, "ngo_bridge_bot_api_calls_total", method="sendMessage", result="ok") == 3
    assert sample(text, "ngo_bridge_messages_sent_total") == 3
    assert sample(text, "ngo_bridge_bot_api_calls_total", method="getUpdates", result="ok") >= 1
    # Each application counts in its own registry.
    assert sample((await Metrics().render()).decode(), "ngo_bridge_messages_sent_total") == 0


async def test_gauges_read_running_broadcasts_and_late_notices(
    engine: AsyncEngine, sessions: Sessions
) -> None:
    metrics = Metrics()
    metrics.watch_engine(engine)  # connects through it, counting nothing
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    async with writing(sessions) as session:
        running = Broadcast(admin_id=1, language="en", status="running", text="hi", total=5)
        done = Broadcast(admin_id=1, language="en", status="done", text="old", total=2)
        event = Event(
            kind="webinar", title="T", description="D", starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=1), time_zone="UTC", created_by=1,
            status="published",
        )  # fmt: skip
        session.add_all([running, done, event])
        await session.flush()
        for user, state in enumerate(("pending", "pending", "sent", "blocked", "failed")):
            session.add(Delivery(broadcast_id=running.id, user_id=100 + user, state=state))
        session.add_all(Delivery(broadcast_id=done.id, user_id=u, state="sent") for u in (1, 2))
        for user, due in enumerate((now - timedelta(hours=1), now - timedelta(minutes=6),
                                    now - timedelta(minutes=1), now + timedelta(hours=2))):  # fmt: skip
            session.add(Notice(event_id=event.id, user_id=200 + user, kind="day", due_at=due))
        session.add(Notice(event_id=event.id, user_id=300, kind="hour", due_at=now, state="sent"))
    metrics.sources = Sources(sessions, FrozenClock(now), lambda: True)
    text = (await metrics.render()).decode()
    assert sample(text, "ngo_bridge_database_up") == 1
    assert sample(text, "ngo_bridge_broadcasts_running") == 1
    assert [sample(text, "ngo_bridge_broadcast_rows", state=s) for s in
            ("pending", "sent", "blocked", "failed")] == [2, 1, 1, 1]  # fmt: skip
    assert sample(text, "ngo_bridge_notices", state="pending") == 4
    assert sample(text, "ngo_bridge_notices", state="overdue") == 2  # 5 minutes late or more
    assert sample(text, "ngo_bridge_scheduler_leader") == 1
    assert sample(text, "ngo_bridge_database_errors_total", kind="connect") == 0


async def test_a_database_gone_shows_as_down_and_counts_connection_errors() -> None:
    engine: AsyncEngine = create_engine(f"postgresql+asyncpg://bot@127.0.0.1:{free_port()}/gone")
    metrics = Metrics()
    metrics.watch_engine(engine)
    metrics.sources = Sources(create_session_maker(engine), Clock(), lambda: False)
    try:
        text = (await asyncio.wait_for(metrics.render(), 5)).decode()
    finally:
        await engine.dispose()
    assert sample(text, "ngo_bridge_database_up") == 0
    assert sample(text, "ngo_bridge_scheduler_leader") == 0
    assert sample(text, "ngo_bridge_database_errors_total", kind="connect") >= 1


@pytest.mark.allow_errors
async def test_fsm_storage_unreachable_counts_storage_errors(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """Redis gone: reading the state fails before any handler, in aiogram's FSM middleware."""
    gone = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    metrics = Metrics()
    bot = create_bot(gone)
    dp = create_dispatcher(gone, sessions, metrics=metrics)
    chat = Conversation(fake_telegram, TgUser(7202, "Askar", language_code="ky"))
    async with polling(dp, bot, fake_telegram, raise_handler_errors=False):
        await chat.send("/start")
    text = (await metrics.render()).decode()
    assert sample(text, "ngo_bridge_fsm_storage_errors_total") == 1
    assert sample(text, "ngo_bridge_updates_total", kind="message", outcome="error") == 1
    assert sample(text, "ngo_bridge_updates_total", kind="message", outcome="handled") == 0


async def test_bot_api_results_are_told_apart() -> None:
    metrics = Metrics()
    calls = _ApiCalls(metrics)
    method = SendMessage(chat_id=1, text="x")
    bot = cast(Bot, None)
    for error, result in (
        (TelegramBadRequest(method, "Bad Request: chat not found"), "400"),
        (TelegramForbiddenError(method, "Forbidden: bot was blocked by the user"), "403"),
        (TelegramRetryAfter(method, "Too Many Requests", retry_after=3), "429"),
        (TelegramServerError(method, "Bad Gateway"), "other"),
        (TelegramNetworkError(method, "timeout"), "other"),
    ):

        async def failing(_bot: Bot, _method: object, error: Exception = error) -> Any:
            raise error

        with pytest.raises(type(error)):
            await calls(cast(Any, failing), bot, method)
        text = (await metrics.render()).decode()
        assert (
            sample(text, "ngo_bridge_bot_api_calls_total", method="sendMessage", result=result) >= 1
        )
    text = (await metrics.render()).decode()
    assert sample(text, "ngo_bridge_bot_api_calls_total", method="sendMessage", result="other") == 2
    assert sample(text, "ngo_bridge_messages_sent_total") == 0
