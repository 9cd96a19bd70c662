"""A backup taken by `python -m bot backup` while the real bot delivers a broadcast, the
bot killed, the backup restored into a fresh place with `python -m bot restore`: the bot
started on it finishes the broadcast, nobody lost and nobody reached twice."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.delivery.broadcaster import FLUSH_EVERY
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade
from testing.servers import free_port
from tests.broadcast_helpers import plain_users
from tests.conftest import ADMIN_ID, ROOT, TEST_BOT_TOKEN
from tests.conversation import Conversation
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.onboarding.test_restart_e2e import bot_process, until
from tests.health_helpers import get, ready

RATE = 10
RECIPIENTS = [31_000 + i for i in range(40)]
TEXT = "Kept in a backup"


async def _command(*argv: str, database_url: str, cwd: Path) -> tuple[int, str]:
    """`python -m bot <argv>` on `database_url`: its exit code and what it printed."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))},
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "HEALTH_PORT": "0",  # no health server (8082 may be taken)
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *argv, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode()


def _written_sent(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path, timeout=10)) as connection:
        return int(
            connection.execute("SELECT count(*) FROM deliveries WHERE state = 'sent'").fetchone()[0]
        )


async def test_a_backup_taken_mid_broadcast_restores_and_finishes_it_once(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    fake = fake_telegram
    live = tmp_path / "live" / "bot.db"
    url = f"sqlite+aiosqlite:///{live}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    await plain_users(create_session_maker(engine), RECIPIENTS)
    await engine.dispose()
    admin = Conversation(fake, TgUser(ADMIN_ID, "Admin", language_code="en"), timeout=20)
    chats = [ADMIN_ID, *RECIPIENTS]

    preview: dict[int, int] = {}  # the admin's chat shows the text before it is sent

    def copies(chat: int) -> int:
        shown = sum(m.get("text") == TEXT for m in fake.chat_messages(chat))
        return int(shown) - preview.get(chat, 0)

    def reached() -> int:
        return sum(copies(chat) > 0 for chat in chats)

    port = free_port()
    options = {"admin_ids": str(ADMIN_ID), "broadcast_rate": str(RATE), "chat_interval": "0"}
    copy = tmp_path / "backups" / "bot.backup"
    first_options = {**options, "health_port": str(port), "log_format": "json"}
    async with bot_process(fake, url, tmp_path, **first_options) as first:
        # The operator's view of the polling process, on HEALTH_PORT.
        assert await get(f"http://127.0.0.1:{port}/healthz") == (200, "ok")
        status, body = await ready(f"http://127.0.0.1:{port}/readyz")
        assert status == 200 and body["scheduler"] == "running", body
        await admin.send(f"/broadcast {TEXT}")
        await until(fake, lambda: "It will reach 41 users." in admin.last_text())
        preview[ADMIN_ID] = copies(ADMIN_ID)
        await admin.click("✅ Send to 41 users")
        await fake.wait_for(lambda: reached() >= 10, timeout=20)
        # Slow the Bot API down to a halt: every send not made yet waits at the fake
        # (those in flight when the bot dies never arrive).
        gates = {chat: fake.stall_next("sendMessage", chat) for chat in chats if not copies(chat)}
        # The bot writes outcomes as the next one comes (FLUSH_EVERY apart): after a pause
        # one more send lets it write every one before (a backup taken earlier would
        # hold rows it sent as pending, sent again after a restore).
        await asyncio.sleep(4 * FLUSH_EVERY)
        await fake.wait_for(lambda: fake.stalled, timeout=20)
        released = fake.stalled[0][1]["chat_id"]
        gates[released].set()
        # Its copy arrives first (else the count could match before it lands), then its
        # outcome and every one before it are written.
        await fake.wait_for(lambda: copies(released) > 0, timeout=20)
        await fake.wait_for(lambda: _written_sent(live) == reached(), timeout=20)
        taken = reached()
        code, said = await _command("backup", str(copy), database_url=url, cwd=tmp_path)
        assert code == 0, said
        assert "written to" in said
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 10)
        assert first.stderr is not None
        log = (await first.stderr.read()).decode()
    # LOG_FORMAT=json: every line an object, the token nowhere.
    lines = [json.loads(line) for line in log.splitlines()]
    assert any(line["message"].startswith("health server on") for line in lines), lines
    assert TEST_BOT_TOKEN.split(":")[1] not in log
    assert 10 <= taken < len(chats)
    assert reached() == taken  # nothing arrived after the backup
    for gate in gates.values():
        gate.set()

    fresh = tmp_path / "fresh" / "bot.db"
    fresh_url = f"sqlite+aiosqlite:///{fresh}"
    code, said = await _command("restore", str(copy), database_url=fresh_url, cwd=tmp_path)
    assert code == 0, said
    code, said = await _command("restore", str(copy), database_url=fresh_url, cwd=tmp_path)
    assert code == 1 and "exists (add --force" in said  # never over a database unasked

    async with bot_process(fake, fresh_url, tmp_path, health_port="0", **options):
        report = await fake.wait_for(
            lambda: next((t for t in admin.texts() if "finished" in t), ""), timeout=60
        )
    assert [copies(chat) for chat in chats] == [1] * len(chats)  # nobody lost, nobody twice
    assert "Sent: 41 · Blocked the bot: 0 · Failed: 0" in report
