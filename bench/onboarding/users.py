"""The onboarding bench's simulated users: who feeds updates, and the scripts they follow."""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import Update

from bench.common import (
    JSON,
    latency_summary,
)
from bench.onboarding.local_api import LocalSession
from bot.handlers.onboarding.callbacks import ReviewAction, ReviewPress, StepAction, StepPress
from bot.handlers.start.callbacks import LanguagePick
from bot.languages import LANGUAGES

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
    """A whole onboarding, as in testing/onboarding_script.py: 30 updates."""
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
