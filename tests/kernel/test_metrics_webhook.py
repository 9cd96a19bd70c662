"""/metrics for the operator's alerts on outages: the webhook intake's answers by status
(`ngo_bridge_webhook_responses_total`: a run of 503s is an outage, 401s a wrong secret)
and each dependency's state as bot/outages.py sees it (`ngo_bridge_dependency_up`)."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.metrics import Metrics
from bot.outages import DATABASE, REDIS, Outages
from bot.webhook import Intake, SeenUpdates
from db.engine import Sessions
from testing.servers import free_port
from tests.fake_telegram import FakeTelegram, TgUser
from tests.health_helpers import sample

SECRET = "metrics-hook-secret"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


def _update(update_id: int, user: TgUser) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 0, "text": "/start",
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.to_api(),
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }  # fmt: skip


async def test_webhook_answers_are_counted_by_status_and_outages_by_dependency(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    outages = Outages(settle=0.0, relapse=0.0)
    metrics = Metrics(outages)
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, metrics=metrics)
    gone = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    app = web.Application()
    Intake(dp, bot, SECRET, SeenUpdates(None, 5), outages).register(app, path="/hook")
    Intake(dp, bot, SECRET, SeenUpdates(gone, 5), outages).register(app, path="/away")
    user = TgUser(7301, "Nare", language_code="hy")
    fake_telegram.add_user(user)
    try:
        async with TestClient(TestServer(app)) as client:
            answers = [
                await client.post("/hook", json=_update(1, user), headers=HEADERS),
                await client.post("/hook", json=_update(1, user), headers=HEADERS),  # again
                await client.post("/hook", json=_update(2, user), headers={}),  # no secret
                await client.post("/hook", json={"no": "update"}, headers=HEADERS),
                await client.post("/away", json=_update(3, user), headers=HEADERS),
                await client.post("/away", json=_update(3, user), headers=HEADERS),
            ]
            assert [a.status for a in answers] == [200, 200, 401, 400, 503, 503]
    finally:
        await gone.aclose()
        await bot.session.close()
    text = (await metrics.render()).decode()
    counted = {
        status: sample(text, "ngo_bridge_webhook_responses_total", status=status)
        for status in ("200", "401", "400", "503", "500")
    }
    assert counted == {"200": 2, "401": 1, "400": 1, "503": 2, "500": 0}
    assert sample(text, "ngo_bridge_dependency_up", dependency="redis") == 0
    assert sample(text, "ngo_bridge_dependency_up", dependency="database") == 1

    outages.is_back(REDIS)
    outages.noted(ConnectionRefusedError(111, "Connect call failed"))  # PostgreSQL's turn
    text = (await metrics.render()).decode()
    assert sample(text, "ngo_bridge_dependency_up", dependency="redis") == 1
    assert sample(text, "ngo_bridge_dependency_up", dependency="database") == 0
    outages.is_back(DATABASE)
    text = (await metrics.render()).decode()
    assert sample(text, "ngo_bridge_dependency_up", dependency="database") == 1
