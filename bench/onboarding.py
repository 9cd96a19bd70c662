"""Onboarding throughput: N simulated users through the real Dispatcher, and an echo baseline.

    python -m bench.onboarding [--users 1000] [--json bench/results/onboarding.json]
                               [--concurrency 50] [--time-limit 240] [--profile]

Every user runs a whole onboarding (/start, language, 15 questions, Confirm: 30 updates)
through `bot.app.create_dispatcher` with the SQLite file on disk, configured by
`db.engine.create_engine` as the bot is. Telegram is replaced by `LocalSession`, which
answers in process but keeps the wire work of the real session: requests are serialised as
`AiohttpSession.build_form_data` does and answers are parsed from JSON by
`BaseSession.check_response`. Updates are built from JSON with the bot in their context,
as long polling does. The same number of text updates then goes through a bare aiogram
echo bot with the same session, for a ratio that depends less on the machine.

Latency is the time around `Dispatcher.feed_update`. With `--concurrency` users in flight
it includes waiting for the event loop (Little's law: in flight = throughput × latency),
so the uncontended service time is also measured with one user at a time ("solo").
Exit status 1 when the run was wrong (organisations missing, errors, stale presses), not
when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import itertools
import json
import logging
import math
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, cast

import aiogram
import sqlalchemy
from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.base import BaseSession
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Message, Update
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.common import (
    JSON,
    RESULTS,
    ROOT,
    CpuMeter,
    SqlCounter,
    argument_parser,
    current_rss_mb,
    environment,
    finish,
    is_noisy,
    latency_summary,
    machine_load,
    peak_rss_mb,
    print_failures,
)
from bot.app import create_bot, create_dispatcher
from bot.config import Settings, load_settings
from bot.handlers.onboarding.callbacks import ReviewAction, ReviewPress, StepAction, StepPress
from bot.handlers.start.callbacks import LanguagePick
from bot.languages import LANGUAGES
from bot.runner import run_event_loop
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade
from db.models import Membership, Organisation

BOT_TOKEN = "123456:" + "A" * 35
BOT_USER: dict[str, Any] = {
    "id": 123456,
    "is_bot": True,
    "first_name": "NGO Bridge",
    "username": "ngo_bridge_bot",
}
USER_ID_BASE = 700_000_000
WARMUP_ID_BASE = 600_000_000
RECENT_MESSAGES = 4  # bot messages remembered per chat (edits reach at most the last two)
TARGETS = {"updates_per_s": 500.0, "p95_ms": 10.0, "peak_rss_mb": 150.0}


# -- a Bot API that answers in process -----------------------------------------------------------


class ApiError(Exception):
    """An error answer of the local Bot API (status code and description)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


@dataclass
class ChatLog:
    """One private chat as the local Bot API sees it."""

    chat: JSON
    next_id: int = 1
    messages: dict[int, JSON] = field(default_factory=dict)  # recent bot messages, oldest first
    last_id: int | None = None  # the newest message the bot sent

    def new_id(self) -> int:
        """Message ids are shared by both sides of a private chat."""
        self.next_id += 1
        return self.next_id - 1


def keyboard_of(raw: Any) -> JSON | None:
    """The keyboard as stored by Telegram: an empty inline keyboard is no keyboard."""
    markup = json.loads(raw) if isinstance(raw, str) else raw
    if not markup or not markup.get("inline_keyboard"):
        return None
    return cast(JSON, markup)


class LocalSession(BaseSession):
    """Answers Bot API methods in process, with the serialisation work of a real session.

    Messages get increasing ids per chat; edits that change nothing fail with "message is
    not modified" as on Telegram, which the bot relies on handling."""

    def __init__(self) -> None:
        super().__init__()
        self.chats: dict[int, ChatLog] = {}
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.alerts = 0

    def add_chat(self, user: JSON) -> ChatLog:
        """Open the private chat of `user`."""
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        log = self.chats[user["id"]] = ChatLog(chat)
        return log

    async def close(self) -> None:
        """Nothing to release."""

    async def stream_content(  # type: ignore[override]
        self,
        url: str,
        headers: Any = None,
        timeout: int = 30,  # noqa: ASYNC109 (aiogram's interface)
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> Any:  # the bot downloads no files here
        raise NotImplementedError("LocalSession does not serve files")

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's interface)
    ) -> TelegramType:
        name = method.__api_method__
        self.calls[name] += 1
        files: dict[str, Any] = {}
        params = {}
        for key, value in method.model_dump(warnings=False).items():  # as build_form_data
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                params[key] = prepared
        try:
            status, body = 200, {"ok": True, "result": self._serve(name, params)}
        except ApiError as error:
            self.errors[f"{name}: {error.description}"] += 1
            status = error.status
            body = {"ok": False, "error_code": status, "description": error.description}
        response = self.check_response(bot, method, status, self.json_dumps(body))
        return cast(TelegramType, response.result)

    def _serve(self, name: str, params: dict[str, str]) -> Any:
        if name == "sendMessage":
            log = self._chat(params)
            message_id = log.new_id()
            message = self._message(log, message_id, params["text"], params.get("reply_markup"))
            log.messages[message_id] = message
            log.last_id = message_id
            while len(log.messages) > RECENT_MESSAGES:
                del log.messages[next(iter(log.messages))]
            return message
        if name in {"editMessageText", "editMessageReplyMarkup"}:
            log = self._chat(params)
            old = log.messages.get(int(params["message_id"]))
            if old is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            text = params["text"] if name == "editMessageText" else old["text"]
            new = self._message(log, old["message_id"], text, params.get("reply_markup"))
            if new["text"] == old["text"] and new.get("reply_markup") == old.get("reply_markup"):
                raise ApiError(400, "Bad Request: message is not modified")
            new["edit_date"] = new["date"]
            log.messages[old["message_id"]] = new
            return new
        if name == "answerCallbackQuery":
            self.alerts += params.get("show_alert") == "true"
            return True
        if name == "getMe":
            return BOT_USER
        if name in {"setMyCommands", "deleteWebhook", "deleteMyCommands", "setChatMenuButton"}:
            return True
        raise ApiError(400, f"Bad Request: {name} is not served by the benchmark")

    def _chat(self, params: dict[str, str]) -> ChatLog:
        log = self.chats.get(int(params["chat_id"]))
        if log is None:
            raise ApiError(400, "Bad Request: chat not found")
        return log

    @staticmethod
    def _message(log: ChatLog, message_id: int, text: str, raw_markup: Any) -> JSON:
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": log.chat,
            "from": BOT_USER,
            "text": text,
        }
        markup = keyboard_of(raw_markup)
        if markup is not None:
            message["reply_markup"] = markup
        return message


# -- simulated users -----------------------------------------------------------------------------


@dataclass
class Feeder:
    """Feeds updates to one dispatcher and records the time around each `feed_update`."""

    dp: Dispatcher
    bot: Bot
    session: LocalSession
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    unhandled: int = 0
    script_errors: list[str] = field(default_factory=list)
    update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def feed(self, raw: JSON, kind: str) -> None:
        """Parse the update as polling does (bot in context), then time the dispatch."""
        update = Update.model_validate(raw, context={"bot": self.bot})
        start = time.perf_counter()
        result = await self.dp.feed_update(self.bot, update)
        latency = time.perf_counter() - start
        self.latencies.append(latency)
        self.by_kind.setdefault(kind, []).append(latency)
        self.unhandled += result is UNHANDLED

    def latency_by_kind(self) -> JSON:
        """p50/p95 per kind of update (typed text, a command, a button and its action)."""
        return {
            kind: {"n": len(values), **latency_summary(values)}
            for kind, values in sorted(self.by_kind.items())
        }


class SimUser:
    """A Telegram user writing to the bot; callbacks press buttons of the bot's newest message."""

    def __init__(self, feeder: Feeder, user_id: int, index: int, language: str) -> None:
        self.feeder = feeder
        self.index = index
        self.language = language
        self.user: JSON = {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User {index}",
            "username": f"user_{index}",
            "language_code": language,
        }
        self.log = feeder.session.add_chat(self.user)

    async def say(self, text: str) -> None:
        """Send a text message (commands carry their bot_command entity)."""
        message: JSON = {
            "message_id": self.log.new_id(),
            "date": int(time.time()),
            "chat": self.log.chat,
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        kind = "command" if text.startswith("/") else "text"
        await self.feeder.feed(
            {"update_id": next(self.feeder.update_ids), "message": message}, kind
        )

    async def press(self, data: str) -> None:
        """Press the button carrying `data` under the bot's newest message."""
        message = self.log.messages.get(self.log.last_id or 0)
        buttons = [
            button.get("callback_data")
            for row in ((message or {}).get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
        ]
        if data not in buttons and len(self.feeder.script_errors) < 1000:
            self.feeder.script_errors.append(f"user {self.index}: no button {data!r}")
        if message is None:
            return
        update_id = next(self.feeder.update_ids)
        query = {
            "id": str(update_id),
            "from": self.user,
            "chat_instance": str(self.user["id"]),
            "data": data,
            "message": message,
        }
        prefix, *fields = data.split(":")
        action = fields[1] if prefix == "q" else fields[0] if prefix == "rv" else None
        kind = f"{prefix}:{action}" if action else prefix
        await self.feeder.feed({"update_id": update_id, "callback_query": query}, kind)


async def _tick(user: SimUser, step: str, codes: list[str]) -> None:
    for code in codes:
        await user.press(StepPress(step=step, action=StepAction.TOGGLE, value=code).pack())
    await user.press(StepPress(step=step, action=StepAction.DONE).pack())


async def onboard(user: SimUser) -> None:
    """A whole onboarding, as in tests/onboarding_script.py: 30 updates."""
    await user.say("/start")
    await user.press(LanguagePick(code=user.language).pack())
    await user.say(f"Фонд <b>«Надежда»</b> & Co №{user.index}")
    await user.press(StepPress(step="country", action=StepAction.PICK, value="KZ").pack())
    await user.say("Алматы")
    await _tick(user, "focus_areas", ["children", "health"])
    await _tick(user, "can_share", ["fundraising", "events"])
    await _tick(user, "want_learn", ["impact"])
    await _tick(user, "formats", ["webinars", "internships"])
    await user.press(StepPress(step="cross_border", action=StepAction.YES).pack())
    await _tick(user, "cross_border_countries", ["AM", "KG"])
    await _tick(user, "barriers", ["cost"])
    await _tick(user, "languages", ["kk", "ru"])
    await user.say("We help children in hospitals: <i>volunteers</i>, toys, books.")
    await user.say("nadezhda.kz")
    await user.say(f"@nadezhda_fund_{user.index}")
    await user.press(StepPress(step="consent", action=StepAction.YES).pack())
    await user.press(ReviewPress(action=ReviewAction.CONFIRM).pack())


ONBOARDING_UPDATES = 30


def echo_script(messages: int) -> Callable[[SimUser], Awaitable[None]]:
    """`messages` plain text messages from one user."""

    async def chat(user: SimUser) -> None:
        for n in range(messages):
            await user.say(f"Hello from user {user.index}, message {n}")

    return chat


async def run_users(
    feeder: Feeder,
    script: Callable[[SimUser], Awaitable[None]],
    *,
    users: int,
    concurrency: int,
    id_base: int,
    time_limit: float = 0,
) -> tuple[float, int]:
    """Run `users` users, at most `concurrency` at a time; no user starts after `time_limit`
    seconds (0: no limit). Return the wall time and how many users ran."""
    languages = list(LANGUAGES)
    indexes = iter(range(users))
    start = time.perf_counter()
    deadline = start + time_limit if time_limit > 0 else math.inf
    done = 0

    async def worker() -> None:
        nonlocal done
        for index in indexes:  # shared: each index is taken by one worker
            language = languages[index % len(languages)]
            await script(SimUser(feeder, id_base + index, index, language))
            del feeder.session.chats[id_base + index]  # the bench's memory is not the bot's
            done += 1
            if time.perf_counter() > deadline:
                return

    await asyncio.gather(*(worker() for _ in range(min(concurrency, users))))
    return time.perf_counter() - start, done


# -- measurements --------------------------------------------------------------------------------


def run_summary(feeder: Feeder, wall: float) -> JSON:
    """Throughput, latency and what the local Bot API saw, for one measured run."""
    updates = len(feeder.latencies)
    return {
        "updates": updates,
        "wall_s": round(wall, 3),
        "updates_per_s": round(updates / wall, 1) if wall else math.nan,
        "latency_ms": latency_summary(feeder.latencies),
        "unhandled": feeder.unhandled,
        "api_calls": dict(feeder.session.calls),
        "api_errors": dict(feeder.session.errors),
        "alerts": feeder.session.alerts,
        "script_errors": len(feeder.script_errors),
    }


class ErrorCounter(logging.Handler):
    """Counts ERROR records (the bot's error handler logs every failed update) and prints
    the first few."""

    def __init__(self, shown: int = 3) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.shown = shown

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.count <= self.shown:
            print(f"ERROR {record.name}: {self.format(record)}", file=sys.stderr)


def _package(filename: str) -> str:
    """Which package a source file belongs to, for self time per package."""
    path = Path(filename)
    for ours in ("bot", "db", "bench"):
        if filename.startswith(str(ROOT / ours)):
            return ours
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].removesuffix(".py")
    if "asyncio" in path.parts:
        return "asyncio"
    if filename.startswith(("~", "<")) or not filename:
        return "builtins"
    return "stdlib:" + path.stem


def _short(filename: str, line: int, name: str) -> str:
    path = Path(filename)
    for marker in ("site-packages", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        if marker in path.parts:
            return f"{'/'.join(path.parts[path.parts.index(marker) + 1 :])}:{line}({name})"
    if filename.startswith(str(ROOT)):
        return f"{path.relative_to(ROOT)}:{line}({name})"
    return f"{filename}:{line}({name})"


class Sampler:
    """A wall-clock sampling profiler of the main thread, which runs the event loop.

    Every `interval` seconds SIGALRM interrupts the main thread; the handler walks the
    interrupted stack and, inside SQLAlchemy's greenlets, on into the stack that awaits
    them (cProfile loses track at greenlet switches). A function's inclusive share is the
    share of samples with it on the stack; samples in the selector are the loop waiting
    (for aiosqlite's threads). Collapsed stacks go to a `.folded` file for flame graphs."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.samples = 0
        self.stacks: Counter[tuple[tuple[str, int, str], ...]] = Counter()
        self._greenlet = importlib.import_module("greenlet")

    def _sample(self, _signum: int, frame: FrameType | None) -> None:
        stack: list[tuple[str, int, str]] = []
        current = self._greenlet.getcurrent()
        while True:
            while frame is not None:
                code = frame.f_code
                stack.append((code.co_filename, code.co_firstlineno, code.co_name))
                frame = frame.f_back
            current = current.parent
            if current is None:
                break
            frame = current.gr_frame
        self.samples += 1
        self.stacks[tuple(reversed(stack))] += 1

    def start(self) -> None:
        signal.signal(signal.SIGALRM, self._sample)
        signal.setitimer(signal.ITIMER_REAL, self.interval, self.interval)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    def summary(self, top: int, save_as: Path) -> JSON:
        """Inclusive shares of bot/ and db/ functions, innermost-frame shares per package."""
        inclusive: Counter[tuple[str, int, str]] = Counter()
        innermost: Counter[str] = Counter()
        lines = []
        ours = (str(ROOT / "bot"), str(ROOT / "db"))
        for stack, count in self.stacks.items():
            inclusive.update(
                dict.fromkeys({key for key in stack if key[0].startswith(ours)}, count)
            )
            leaf = stack[-2] if stack[-1][2] == "_sample" else stack[-1]
            waiting = any(name == "select" and "selectors" in path for path, _, name in stack)
            innermost["(event loop waiting)" if waiting else _package(leaf[0])] += count
            lines.append(";".join(_short(*key) for key in stack) + f" {count}")
        save_as.parent.mkdir(parents=True, exist_ok=True)
        save_as.with_suffix(".folded").write_text("\n".join(lines) + "\n")
        total = self.samples or 1
        return {
            "samples": self.samples,
            "interval_ms": self.interval * 1000,
            "bot_db_inclusive": [
                {"where": _short(*key), "share": round(count / total, 3)}
                for key, count in inclusive.most_common(top)
            ],
            "innermost_by_package": {
                name: round(count / total, 3) for name, count in innermost.most_common(12)
            },
        }


# -- the benchmark -------------------------------------------------------------------------------


def make_settings(directory: Path) -> Settings:
    """Settings for a fresh SQLite file in `directory`."""
    return load_settings(
        _env_file=None,
        bot_token=BOT_TOKEN,
        database_url=f"sqlite+aiosqlite:///{directory / 'bench.db'}",
        default_language="ru",
    )


def make_echo() -> tuple[Dispatcher, Bot, LocalSession]:
    """A bare aiogram echo bot on its own local session."""
    router = Router(name="echo")

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dp = Dispatcher()
    dp.include_router(router)
    session = LocalSession()
    return dp, Bot(token=BOT_TOKEN, session=session), session


async def count_organisations(engine: AsyncEngine, lo: int, hi: int) -> tuple[int, int]:
    """Organisations owned by ids in [lo, hi), and in total."""
    async with engine.connect() as connection:
        ours = await connection.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.role == "owner", Membership.user_id >= lo, Membership.user_id < hi)
        )
        total = await connection.scalar(select(func.count()).select_from(Organisation))
    return int(ours or 0), int(total or 0)


async def benchmark(args: argparse.Namespace, settings: Settings) -> JSON:
    """Warm up, measure the bot, measure the echo bot, measure solo latency, check the DB."""
    engine = create_engine(settings.database_url)
    sessions = create_session_maker(engine)
    bot = create_bot(settings)
    session = LocalSession()
    bot.session = session  # create_bot's own session is unused: no API base is configured
    dp = create_dispatcher(settings, sessions)
    await dp.emit_startup(bot=bot, dispatcher=dp, bots=[bot], **dp.workflow_data)
    echo_dp, echo_bot, echo_session = make_echo()

    try:
        if args.warmup:
            await run_users(
                Feeder(dp, bot, session),
                onboard,
                users=args.warmup,
                concurrency=args.concurrency,
                id_base=WARMUP_ID_BASE,
            )
            await run_users(
                Feeder(echo_dp, echo_bot, echo_session),
                echo_script(ONBOARDING_UPDATES),
                users=args.warmup,
                concurrency=args.concurrency,
                id_base=WARMUP_ID_BASE,
            )
        rss_before = peak_rss_mb()

        session.calls.clear()
        session.errors.clear()
        session.alerts = 0
        feeder = Feeder(dp, bot, session)
        profiler = Sampler() if args.profile else None
        with SqlCounter(engine) as sql, CpuMeter() as cpu:
            if profiler is not None:
                profiler.start()
            wall, users_done = await run_users(
                feeder,
                onboard,
                users=args.users,
                concurrency=args.concurrency,
                id_base=USER_ID_BASE,
                time_limit=args.time_limit,
            )
            if profiler is not None:
                profiler.stop()
        bot_result = {"users": users_done, **run_summary(feeder, wall)}
        bot_result["cpu"] = cpu.summary(bot_result["updates"])
        bot_result["latency_by_kind_ms"] = feeder.latency_by_kind()
        updates = max(1, bot_result["updates"])
        bot_result["sql_per_update"] = {
            "statements": round(sql.statements / updates, 2),
            "transactions": round(sql.begins / updates, 2),
            "begin_immediate": round(sql.immediate / updates, 2),
        }
        rss_after_bot = peak_rss_mb()
        rss_now_after_bot = current_rss_mb()

        per_user = max(1, len(feeder.latencies) // max(1, users_done))
        echo_session.calls.clear()
        echo_feeder = Feeder(echo_dp, echo_bot, echo_session)
        with CpuMeter() as echo_cpu:
            echo_wall, echo_users = await run_users(
                echo_feeder,
                echo_script(per_user),
                users=users_done,
                concurrency=args.concurrency,
                id_base=USER_ID_BASE,
            )
        echo_result = {"users": echo_users, **run_summary(echo_feeder, echo_wall)}
        echo_result["cpu"] = echo_cpu.summary(echo_result["updates"])

        solo: JSON = {}
        if args.solo_users:
            solo_bot = Feeder(dp, bot, session)
            await run_users(
                solo_bot,
                onboard,
                users=args.solo_users,
                concurrency=1,
                id_base=USER_ID_BASE + args.users,
            )
            solo_echo = Feeder(echo_dp, echo_bot, echo_session)
            await run_users(
                solo_echo,
                echo_script(per_user),
                users=args.solo_users,
                concurrency=1,
                id_base=USER_ID_BASE + args.users,
            )
            solo = {
                "users": args.solo_users,
                "bot_latency_ms": latency_summary(solo_bot.latencies),
                "bot_latency_by_kind_ms": solo_bot.latency_by_kind(),
                "echo_latency_ms": latency_summary(solo_echo.latencies),
                "script_errors": len(solo_bot.script_errors),
            }

        expected = users_done + args.solo_users
        ours, total = await count_organisations(
            engine, USER_ID_BASE, USER_ID_BASE + args.users + args.solo_users
        )
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp, bots=[bot], **dp.workflow_data)
        await dp.storage.close()
        await engine.dispose()

    bot_ups = bot_result["updates_per_s"]
    result: JSON = {
        "bot": bot_result,
        "echo": echo_result,
        "ratio_bot_to_echo_updates_per_s": round(bot_ups / echo_result["updates_per_s"], 4),
        "solo": solo,
        "rss_mb": {
            "peak_before_measuring": rss_before,
            "peak_after_bot": rss_after_bot,
            "current_after_bot": rss_now_after_bot,
            "peak_at_end": peak_rss_mb(),
        },
        "database": {
            "organisations_expected": expected,
            "organisations_found": ours,
            "organisations_total": total,
            "ok": ours == expected,
        },
        "bot_script_errors_sample": feeder.script_errors[:5],
    }
    result["targets"] = {
        "updates_per_s": {
            "target": TARGETS["updates_per_s"],
            "met": bot_ups >= TARGETS["updates_per_s"],
        },
        "p95_ms": {
            "target": TARGETS["p95_ms"],
            "met": bot_result["latency_ms"]["p95"] < TARGETS["p95_ms"],
        },
        "peak_rss_mb": {
            "target": TARGETS["peak_rss_mb"],
            "met": rss_after_bot < TARGETS["peak_rss_mb"],
        },
    }
    if profiler is not None:
        result["profile"] = profiler.summary(args.profile_top, Path(args.json))
    return result


def print_report(result: JSON, config: JSON) -> None:
    """A readable table of the figures."""
    bot, echo = result["bot"], result["echo"]
    print(
        f"\nOnboarding benchmark: {bot['users']} of {config['users']} users, "
        f"{config['concurrency']} in flight, "
        f"{config['cpus']} CPUs, Python {config['python']}, aiogram {config['aiogram']}, "
        f"code {config['code']}"
    )
    header = f"{'':<14}{'updates':>9}{'wall s':>9}{'upd/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
    print(header + f"{'p99 ms':>9}{'max ms':>9}")
    for name, run in (("bot", bot), ("echo", echo)):
        ms = run["latency_ms"]
        print(
            f"{name:<14}{run['updates']:>9}{run['wall_s']:>9.2f}{run['updates_per_s']:>9.1f}"
            f"{ms['p50']:>9.2f}{ms['p95']:>9.2f}{ms['p99']:>9.2f}{ms['max']:>9.2f}"
        )
    solo = result["solo"]
    if solo:
        for name in ("bot", "echo"):
            ms = solo[f"{name}_latency_ms"]
            print(
                f"{name + ' solo':<14}{'':>9}{'':>9}{'':>9}"
                f"{ms['p50']:>9.2f}{ms['p95']:>9.2f}{ms['p99']:>9.2f}{ms['max']:>9.2f}"
            )
    for name, run in (("bot", bot), ("echo", echo)):
        cpu = run["cpu"]
        load = machine_load(cpu)
        print(
            f"{name} CPU: {cpu['process_cpu_ms_per_update']:.3f} ms per update (all threads)"
            + (f"; {load}" if load else "")
        )
    if result["noisy"]:
        print("WARNING: the machine was busy elsewhere during the bot run: figures are noisy")
    if solo:
        kinds = ", ".join(
            f"{kind} {ms['p50']:.1f}/{ms['p95']:.1f}"
            for kind, ms in solo["bot_latency_by_kind_ms"].items()
        )
        print(f"bot solo p50/p95 ms by kind of update: {kinds}")
    rss = result["rss_mb"]
    database = result["database"]
    print(f"ratio bot/echo updates per second: {result['ratio_bot_to_echo_updates_per_s']:.3f}")
    print(
        f"peak RSS: {rss['peak_after_bot']} MB after the bot run, {rss['peak_at_end']} MB at "
        f"the end, {rss['after_imports']} MB after imports alone"
    )
    sql = bot["sql_per_update"]
    print(
        f"SQL per bot update: {sql['statements']} statements (BEGIN included), "
        f"{sql['transactions']} transactions of which {sql['begin_immediate']} BEGIN IMMEDIATE"
    )
    calls = ", ".join(f"{name} {count}" for name, count in sorted(bot["api_calls"].items()))
    print(f"Bot API calls by the bot: {calls}")
    print(
        f"database: {database['file_bytes']} bytes; "
        f"organisations {database['organisations_found']}/{database['organisations_expected']}"
    )
    targets = ", ".join(
        f"{name} {'met' if value['met'] else 'MISSED'} (target {value['target']})"
        for name, value in result["targets"].items()
    )
    print(f"targets: {targets}")
    if "profile" in result:
        profile = result["profile"]
        print(f"\nprofile of the bot run ({profile['samples']} samples of the main thread):")
        print("bot/ and db/ functions by share of samples with them on the stack:")
        for row in profile["bot_db_inclusive"]:
            print(f"  {row['share']:>6.1%}  {row['where']}")
        print("innermost frame by package:")
        for name, share in profile["innermost_by_package"].items():
            print(f"  {share:>6.1%}  {name}")
    print_failures(result)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser(__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50, help="users in flight")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured users first")
    parser.add_argument("--solo-users", type=int, default=20, help="users run one at a time")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=240,
        help="seconds after which no new user starts in the bot run (0: none); keeps a slow "
        "bot's run bounded, the figures then cover the users that ran",
    )
    parser.add_argument("--json", default=str(RESULTS / "onboarding.json"))
    parser.add_argument("--db-dir", default=None, help="where the temporary SQLite file goes")
    parser.add_argument(
        "--log-info",
        action="store_true",
        help="log at INFO to /dev/null, as `python -m bot` logs (one line per update)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the main thread during the bot run (adds a few per cent)",
    )
    parser.add_argument("--profile-top", type=int, default=10)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Set up the database (before the event loop, as `python -m bot` does), run, report."""
    args = parse_args(argv)
    rss_after_imports = peak_rss_mb()
    errors = ErrorCounter()
    logging.basicConfig(
        level=logging.INFO if args.log_info else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[logging.StreamHandler(open(os.devnull, "w") if args.log_info else sys.stderr)],  # noqa: SIM115
    )
    logging.getLogger().addHandler(errors)
    config: JSON = {
        "users": args.users,
        "concurrency": args.concurrency,
        "warmup_users": args.warmup,
        "solo_users": args.solo_users,
        "time_limit_s": args.time_limit,
        "updates_per_onboarding": ONBOARDING_UPDATES,
        "log_info": args.log_info,
        "profiled": args.profile,
        **environment(aiogram=aiogram.__version__),
    }
    with tempfile.TemporaryDirectory(prefix="ngo-bench-", dir=args.db_dir) as directory:
        settings = make_settings(Path(directory))
        upgrade(settings.database_url)
        result = run_event_loop(benchmark(args, settings))  # as `python -m bot` runs
        database = Path(cast(str, sqlalchemy.make_url(settings.database_url).database))
        result["database"]["file_bytes"] = database.stat().st_size  # WAL checkpointed on close

    failures = []
    if not result["database"]["ok"]:
        database = result["database"]
        failures.append(
            f"{database['organisations_found']} organisations saved, "
            f"expected {database['organisations_expected']}"
        )
    if errors.count:
        failures.append(f"{errors.count} errors logged")
    for name in ("bot", "echo"):
        if result[name]["script_errors"]:
            failures.append(f"{result[name]['script_errors']} {name} presses found no button")
        if result[name]["unhandled"]:
            failures.append(f"{result[name]['unhandled']} {name} updates unhandled")
    if result["solo"].get("script_errors"):
        failures.append(f"{result['solo']['script_errors']} solo presses found no button")
    if result["bot"]["alerts"]:
        failures.append(f"{result['bot']['alerts']} stale-button alerts")
    result["rss_mb"] = {"after_imports": rss_after_imports, **result["rss_mb"]}
    result["noisy"] = is_noisy(result["bot"]["cpu"])
    result = {"config": config, **result, "errors_logged": errors.count}
    return finish(result, config, failures, args.json, print_report)


if __name__ == "__main__":
    sys.exit(main())
