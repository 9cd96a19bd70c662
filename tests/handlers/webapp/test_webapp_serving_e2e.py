"""The real process serves the Mini App: on its own port when polling, on the webhook's
application in webhook mode, and nothing (no server, no menu button) without WEBAPP_URL;
SIGTERM still stops it cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.config import ConfigError, load_settings
from tests.conftest import ROOT, TEST_BOT_TOKEN
from tests.fake_telegram import FakeTelegram

STARTUP_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


@pytest.mark.parametrize("mode", ["polling", "webhook", "off"])
async def test_the_mini_app_is_served_where_the_mode_says(
    fake_telegram: FakeTelegram, tmp_path: Path, mode: str
) -> None:
    port, webapp_port = _free_port(), _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "WEB"))},
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TEST_BOT_TOKEN,
        "TELEGRAM_API_BASE": fake_telegram.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "DEFAULT_LANGUAGE": "en",
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBAPP_PORT": str(webapp_port),
        "HEALTH_PORT": "0",  # its routes are on the Mini App's port; no second server
    }
    if mode != "off":
        env["WEBAPP_URL"] = "https://bot.example.org/app"
    if mode == "webhook":
        env |= {"WEBHOOK_URL": f"http://127.0.0.1:{port}/hook", "WEBHOOK_PORT": str(port)}
    polls = fake_telegram.poll_count
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        if mode == "webhook":
            await fake_telegram.wait_for(
                lambda: fake_telegram.method_calls("setWebhook"), STARTUP_TIMEOUT
            )
            await asyncio.sleep(1.0)  # the server listens just after setWebhook
        else:
            await fake_telegram.wait_polling(STARTUP_TIMEOUT, after=polls)
        served = f"http://127.0.0.1:{port if mode == 'webhook' else webapp_port}/app"
        if mode == "off":
            with pytest.raises(aiohttp.ClientConnectionError):
                await _get(f"{served}/")
            assert fake_telegram.method_calls("setChatMenuButton") == []
        else:
            status, page = await _get(f"{served}/?lang=en")
            assert status == 200 and '"tab_directory":"🗂 Directory"' in page
            assert await _get(f"{served}/api/me") == (401, '{"error": "unauthorized"}')
            [call] = fake_telegram.method_calls("setChatMenuButton")
            assert call["menu_button"]["web_app"]["url"] == "https://bot.example.org/app/?lang=en"
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.stderr is not None
    log = (await process.stderr.read()).decode()
    assert process.returncode == 0 and "Traceback" not in log, log


def test_webapp_url_must_be_https() -> None:
    with pytest.raises(ConfigError, match="WEBAPP_URL is invalid: Telegram opens Mini Apps"):
        load_settings(_env_file=None, bot_token=TEST_BOT_TOKEN, webapp_url="http://a.org/app")
    settings = load_settings(
        _env_file=None, bot_token=TEST_BOT_TOKEN, webapp_url="https://a.org/app/"
    )
    assert settings.webapp_path() == "/app" and settings.webapp_port == 8081
    assert load_settings(_env_file=None, bot_token=TEST_BOT_TOKEN).webapp_url is None
