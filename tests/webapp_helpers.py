"""The Mini App for tests: initData signed as Telegram signs it, and the real bot polling
the fake Bot API with the Mini App's server beside it on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from pydantic import AnyHttpUrl

from bot.app import create_bot, create_dispatcher
from bot.clock import Clock
from bot.config import Settings
from bot.handlers.webapp import server
from db.engine import Sessions
from testing.init_data import sign as sign  # tests import it from here
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram

WEBAPP_URL = "https://bridge.example.org/app"


def with_mini_app(settings: Settings) -> Settings:
    """The same settings with WEBAPP_URL set."""
    return settings.model_copy(update={"webapp_url": AnyHttpUrl(WEBAPP_URL)})


@dataclass
class MiniApp:
    """The running Mini App: its base URL and a client speaking its API."""

    base: str
    http: aiohttp.ClientSession
    token: str
    clock: Clock

    def init_data(self, user_id: int, **options: Any) -> str:
        """Valid initData for `user_id`, signed now."""
        return sign(self.token, user_id, self.clock.now(), **options)

    async def call(
        self,
        method: str,
        path: str,
        user_id: int | None = None,
        *,
        init_data: str | None = None,
        body: Any = None,
        **params: str,
    ) -> tuple[int, Any]:
        """An API call as `user_id` (or with the given initData, or none), with a JSON
        `body` if given: status, JSON."""
        if init_data is None and user_id is not None:
            init_data = self.init_data(user_id)
        headers = {} if init_data is None else {"Authorization": f"tma {init_data}"}
        async with self.http.request(
            method, f"{self.base}/api{path}", params=params, headers=headers, json=body
        ) as response:
            return response.status, await response.json(content_type=None)


@asynccontextmanager
async def mini_app(
    settings: Settings, sessions: Sessions, fake: FakeTelegram, clock: Clock
) -> AsyncIterator[MiniApp]:
    """The bot polling `fake` (so the other side can answer in the chat) and the Mini App
    served on a free port of 127.0.0.1 by the same Dispatcher, as `python -m bot` does."""
    settings = with_mini_app(settings)
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=clock)
    app = web.Application()
    server.mount(app, settings, bot, dp)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        async with polling(dp, bot, fake), aiohttp.ClientSession() as http:
            token = settings.bot_token.get_secret_value()
            yield MiniApp(f"http://{host}:{port}{settings.webapp_path()}", http, token, clock)
    finally:
        await runner.cleanup()
