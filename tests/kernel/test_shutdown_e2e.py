"""SIGTERM (what systemd and container runtimes send) stops the real process cleanly, in
polling and in webhook mode: exit status 0, the dispatcher's shutdown run, no traceback."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TEST_BOT_TOKEN
from tests.fake_telegram import FakeTelegram

STARTUP_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_sigterm_shuts_the_bot_down_cleanly(
    fake_telegram: FakeTelegram, tmp_path: Path, mode: str
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))},
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TEST_BOT_TOKEN,
        "TELEGRAM_API_BASE": fake_telegram.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "HEALTH_PORT": "0",  # no health server (8082 may be taken)
    }
    if mode == "webhook":
        port = _free_port()
        env |= {
            "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
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
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.stderr is not None
    log = (await process.stderr.read()).decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    assert "the scheduler stopped" in log  # the dispatcher's shutdown ran
