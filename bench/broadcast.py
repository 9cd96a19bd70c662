"""Broadcast delivery against Telegram's limits: the real bot process, a fake Bot API on
127.0.0.1 that answers 429 (retry_after 1) above L messages a second or above one a second
in one chat (after a burst of 3), and an interactive user pressing menu buttons all the
while; then the same at L = 30 with a chatty user instead, who sends /help and /settings in
turn, two commands a second, for the whole broadcast.

    python -m bench.broadcast [--recipients 10000] [--limit 300]
                              [--short-recipients 1200] [--short-limit 30]
                              [--chatty-recipients 1200]
                              [--json bench/results/broadcast.json]

Each run: N users in a fresh SQLite file, `python -m bot` with BROADCAST_RATE = L, an admin
sends /broadcast to everyone through the fake server, and the bench waits for the report.
Figures: achieved rate / L (first to last accepted broadcast message), 429s received,
duplicates and lost recipients (from the messages the fake server holds), and the p95 time
from a user's press on a menu button to the bot's answer while the broadcast runs; for the
chatty user, the commands sent and answered and whether the answers came in order. Exit
status 1 when the run was wrong (lost or duplicated messages, no report, a chatty user's
answer lost or out of order), not when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.common import (
    FAKE_TOKEN,
    JSON,
    RESULTS,
    ROOT,
    argument_parser,
    code_version,
    finish,
    percentile,
)
from bot.navigation import MenuAction, MenuPress
from db.engine import create_engine, create_session_maker, writing
from db.migrate import upgrade
from db.models import User
from testing.fake_bot_api import FakeTelegram, TgUser

ADMIN = 1
INTERACTIVE = 2
FIRST = 100_000
PROBE_EVERY = 0.5  # seconds between the interactive user's presses
CHATTY_EVERY = 0.5  # seconds between the chatty user's commands
CHATTY_COMMANDS = ("/help", "/settings")
BROADCAST_TEXT = "Webinar on impact measurement: registration is open"
TARGETS = {"rate_ratio": 0.90, "interactive_p95_s": 1.0}
CHATTY_LIMIT = 30  # L for the chatty user's case (issue 14)


async def seed(url: str, count: int) -> None:
    """`count` users who started the bot (English), ids from FIRST."""
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    now = datetime.now(UTC)
    rows = [
        {"id": FIRST + i, "first_name": f"U{i}", "language": "en", "is_active": True,
         "created_at": now, "updated_at": now}
        for i in range(count)
    ]  # fmt: skip
    async with writing(create_session_maker(engine)) as session:
        for start in range(0, count, 5000):
            await session.execute(insert(User), rows[start : start + 5000])
    await engine.dispose()


async def wait_until(fake: FakeTelegram, check: Any, within: float) -> Any:
    return await fake.wait_for(check, timeout=within)


def admin_text(fake: FakeTelegram, needle: str) -> str:
    for message in reversed(fake.chat_messages(ADMIN)):
        if needle in str(message.get("text", "")):
            return str(message["text"])
    return ""


async def probe(fake: FakeTelegram, user: TgUser, stop: asyncio.Event, out: list[float]) -> None:
    """The interactive user: presses Settings and Help in the menu (alternately) every
    PROBE_EVERY s, timing the bot's answer to each press."""
    presses = [MenuPress(action=a).pack() for a in (MenuAction.SETTINGS, MenuAction.HELP)]
    for press in itertools.cycle(presses):
        if stop.is_set():
            return
        menu = fake.last_message(INTERACTIVE) or {}
        answered = len(fake.answers_for(INTERACTIVE))
        started = time.monotonic()
        fake.push_callback(user, menu.get("message_id", 1), press)

        def answered_now(before: int = answered) -> bool:
            return len(fake.answers_for(INTERACTIVE)) > before

        try:
            await fake.wait_for(answered_now, timeout=10)
            out.append(time.monotonic() - started)
        except TimeoutError:
            out.append(10.0)
        await asyncio.sleep(PROBE_EVERY)


async def chatter(fake: FakeTelegram, user: TgUser, stop: asyncio.Event, out: list[str]) -> None:
    """The chatty user: /help and /settings in turn every CHATTY_EVERY s, not waiting for
    the answers."""
    for command in itertools.cycle(CHATTY_COMMANDS):
        if stop.is_set():
            return
        out.append(command)
        fake.push_message(user, command)
        await asyncio.sleep(CHATTY_EVERY)


def chatty_answers(fake: FakeTelegram, after: int) -> list[str]:
    """Which command each of the chatty user's answers (after the first `after` messages of
    their chat) answers, in the order they arrived."""
    texts = [str(m.get("text", "")) for m in fake.chat_messages(INTERACTIVE)[after:]]
    return [
        "/settings" if text.startswith("⚙️ Settings") else "/help"
        for text in texts
        if text != BROADCAST_TEXT
    ]


async def run_once(recipients: int, limit: int, workdir: Path, *, chatty: bool = False) -> JSON:
    url = f"sqlite+aiosqlite:///{workdir / f'broadcast-{limit}-{int(chatty)}.db'}"
    await seed(url, recipients)
    async with FakeTelegram() as fake:
        fake.limit(limit)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))},
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": FAKE_TOKEN,
            "TELEGRAM_API_BASE": fake.base_url,
            "DATABASE_URL": url,
            "ADMIN_IDS": str(ADMIN),
            "BROADCAST_RATE": str(limit),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=workdir, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await fake.wait_polling(60)
            admin = TgUser(ADMIN, "Admin", language_code="en")
            fake.add_user(admin)
            user = TgUser(INTERACTIVE, "User", language_code="en")
            fake.add_user(user)
            fake.push_message(admin, f"/broadcast {BROADCAST_TEXT}")
            await wait_until(fake, lambda: admin_text(fake, "It will reach"), 30)
            panel = fake.last_message(ADMIN) or {}
            send = next(
                b["callback_data"]
                for row in panel["reply_markup"]["inline_keyboard"]
                for b in row
                if "✅" in b["text"]
            )
            fake.push_message(user, "/menu")
            await wait_until(fake, lambda: fake.last_message(INTERACTIVE), 30)
            latencies: list[float] = []
            commands: list[str] = []
            before = len(fake.chat_messages(INTERACTIVE))
            stop = asyncio.Event()
            prober = asyncio.create_task(
                chatter(fake, user, stop, commands)
                if chatty
                else probe(fake, user, stop, latencies)
            )
            fake.push_callback(admin, panel["message_id"], send)
            try:
                report = await wait_until(
                    fake, lambda: admin_text(fake, "finished"), recipients / limit * 3 + 60
                )
            except TimeoutError:
                print(
                    [m.get("text", "")[:80] for m in fake.chat_messages(ADMIN)],
                    fake.answers_for(ADMIN),
                    len(fake.accepted_sends),
                )
                raise
            stop.set()
            await prober
            if chatty:  # the answers still queued in the user's chat, about one a second
                with contextlib.suppress(TimeoutError):
                    await wait_until(
                        fake,
                        lambda: len(chatty_answers(fake, before)) >= len(commands),
                        len(commands) * 1.5 + 10,
                    )
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
        ids = range(FIRST, FIRST + recipients)
        sent = [(t, chat) for t, chat in fake.accepted_sends if FIRST <= chat < FIRST + recipients]
        copies = [len(fake.chat_messages(chat)) for chat in ids]
        span = sent[-1][0] - sent[0][0] if len(sent) > 1 else 0.0
        rate = (len(sent) - 1) / span if span else 0.0
        floods = sum(1 for e in fake.errors if e[2] == 429)
        ordered = sorted(latencies)
        answers = chatty_answers(fake, before)
        return {
            "chatty_user": chatty,
            "recipients": recipients,
            "limit_per_s": limit,
            "broadcast_rate": limit,
            "seconds": round(span, 2),
            "achieved_per_s": round(rate, 1),
            "rate_ratio": round(rate / limit, 3),
            "http_429": floods,
            "duplicates": sum(max(0, c - 1) for c in copies),
            "lost": sum(1 for c in copies if c == 0),
            "interactive_requests": len(latencies),
            "interactive_p50_s": round(percentile(ordered, 50), 3) if ordered else None,
            "interactive_p95_s": round(percentile(ordered, 95), 3) if ordered else None,
            "chatty_commands": len(commands) if chatty else None,
            "chatty_answered": len(answers) if chatty else None,
            "chatty_in_order": answers == commands if chatty else None,
            "report": report,
        }


async def benchmark(args: argparse.Namespace) -> list[JSON]:
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as tmp:
        runs = [await run_once(args.recipients, args.limit, Path(tmp))]
        if args.short_recipients:
            runs.append(await run_once(args.short_recipients, args.short_limit, Path(tmp)))
        if args.chatty_recipients:
            runs.append(
                await run_once(args.chatty_recipients, CHATTY_LIMIT, Path(tmp), chatty=True)
            )
    return runs


def print_report(result: JSON, config: JSON) -> None:
    print(f"broadcast bench ({config['code']})")
    for run in result["runs"]:
        user = (
            f"chatty user: {run['chatty_answered']} of {run['chatty_commands']} commands "
            f"answered, {'in order' if run['chatty_in_order'] else 'OUT OF ORDER'}"
            if run["chatty_user"]
            else f"interactive p95 {run['interactive_p95_s']} s over "
            f"{run['interactive_requests']} requests (target < {TARGETS['interactive_p95_s']} s)"
        )
        print(
            f"  {run['recipients']:>6} recipients at L={run['limit_per_s']}/s: "
            f"{run['achieved_per_s']}/s = {run['rate_ratio']:.3f} of L "
            f"(target ≥ {TARGETS['rate_ratio']}), {run['http_429']} × 429, "
            f"{run['duplicates']} duplicates, {run['lost']} lost; {user}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--short-recipients", type=int, default=1200)
    parser.add_argument("--short-limit", type=int, default=30)
    parser.add_argument("--chatty-recipients", type=int, default=1200)
    parser.add_argument("--json", default=str(RESULTS / "broadcast.json"))
    args = parser.parse_args(argv)
    config: JSON = {"code": code_version(), "targets": TARGETS}
    runs = asyncio.run(benchmark(args))
    failures = [
        f"L={run['limit_per_s']}: {run['duplicates']} duplicates, {run['lost']} lost"
        for run in runs
        if run["duplicates"] or run["lost"]
    ] + [
        f"chatty user: {run['chatty_answered']} answers to {run['chatty_commands']} commands"
        + ("" if run["chatty_in_order"] else ", out of order")
        for run in runs
        if run["chatty_user"] and not run["chatty_in_order"]
    ]
    result: JSON = {"config": config, "runs": runs}
    return finish(result, config, failures, args.json, print_report)


if __name__ == "__main__":
    sys.exit(main())
