"""Webhook mode: the bot registers its URL and answers updates POSTed to it."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import aiohttp
from pydantic import SecretStr

from bot.config import Settings
from bot.runner import run
from tests.conftest import TEST_BOT_TOKEN
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

SECRET = "s3cret-token_for-tests"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_answers_updates_and_refuses_a_wrong_secret(
    settings: Settings, fake_telegram: FakeTelegram
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    hooked = settings.model_copy(
        update={
            "webhook_url": url,
            "webhook_secret": SecretStr(SECRET),
            "webhook_port": port,
            "webhook_host": "127.0.0.1",
        }
    )
    server = asyncio.create_task(run(hooked))
    try:
        await fake_telegram.wait_for(lambda: fake_telegram.method_calls("setWebhook"), 20)
        registered = fake_telegram.method_calls("setWebhook")[-1]
        assert registered["url"] == url and registered["secret_token"] == SECRET

        user = TgUser(7001, "Lusine", language_code="hy")
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1, "date": 0, "text": "/start",
                "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
                "from": user.to_api(),
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }  # fmt: skip
        async with aiohttp.ClientSession() as client:
            for _ in range(100):  # the server starts listening just after setWebhook
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with client.post(
                        url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
                    ) as refused:
                        assert refused.status == 401
                        break
                await asyncio.sleep(0.05)
            async with client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            ) as accepted:
                assert accepted.status == 200
        prompt = tr(
            "hy", "🌐 Choose the language of the bot. You can change it later with /language."
        )
        await fake_telegram.wait_for(
            lambda: any(prompt in str(m.get("text")) for m in fake_telegram.chat_messages(user.id)),
            20,
        )
        assert len(fake_telegram.chat_messages(user.id)) == 1  # the refused update did nothing
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server


async def test_without_webhook_secret_a_derived_one_is_required(
    settings: Settings, fake_telegram: FakeTelegram
) -> None:
    """No WEBHOOK_SECRET: the bot still registers a secret (derived from the token) and a
    forged update without it, even one claiming an admin, gets 401 and is not handled."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    admin = 9001
    hooked = settings.model_copy(
        update={
            "webhook_url": url,
            "webhook_secret": None,
            "webhook_port": port,
            "webhook_host": "127.0.0.1",
            "admin_ids": frozenset({admin}),
        }
    )
    server = asyncio.create_task(run(hooked))
    try:
        await fake_telegram.wait_for(lambda: fake_telegram.method_calls("setWebhook"), 20)
        registered = fake_telegram.method_calls("setWebhook")[-1]
        secret = registered.get("secret_token")
        assert secret and secret == hooked.webhook_secret_token()
        assert TEST_BOT_TOKEN.split(":")[1] not in secret  # derived, not the token itself
        forged = {
            "update_id": 5,
            "message": {
                "message_id": 1, "date": 0, "text": "/stats",
                "chat": {"id": admin, "type": "private", "first_name": "Admin"},
                "from": {"id": admin, "is_bot": False, "first_name": "Admin"},
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }  # fmt: skip
        statuses = []
        async with aiohttp.ClientSession() as client:
            for _ in range(100):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with client.post(url, json=forged) as refused:
                        statuses.append(refused.status)
                        break
                await asyncio.sleep(0.05)
            for header in ("", "wrong", secret[:-1]):
                async with client.post(
                    url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": header}
                ) as refused:
                    statuses.append(refused.status)
        assert statuses == [401, 401, 401, 401]
        await asyncio.sleep(0.3)
        assert fake_telegram.chat_messages(admin) == []  # nothing was handled
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server
