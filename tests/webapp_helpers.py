"""The Mini App for tests: initData signed as Telegram signs it, and the real bot polling
the fake Bot API with the Mini App's server beside it on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from pydantic import AnyHttpUrl

from bot.app import create_bot, create_dispatcher
from bot.clock import Clock
from bot.config import Settings
from bot.handlers.webapp import server
from db.engine import Sessions
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram

WEBAPP_URL = "https://bridge.example.org/app"


def sign(
    token: str,
    user_id: int,
    signed_at: datetime,
    *,
    language_code: str = "en",
    first_name: str = "Tester",
) -> str:
    """initData as Telegram makes it: the fields sorted into a data-check string, signed
    with HMAC-SHA256 under HMAC-SHA256("WebAppData", token)."""
    user = {"id": user_id, "first_name": first_name, "language_code": language_code}
    fields = {
        "auth_date": str(int(signed_at.timestamp())),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
    }
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


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
        **params: str,
    ) -> tuple[int, Any]:
        """An API call as `user_id` (or with the given initData, or none): status, JSON."""
        if init_data is None and user_id is not None:
            init_data = self.init_data(user_id)
        headers = {} if init_data is None else {"Authorization": f"tma {init_data}"}
        async with self.http.request(
            method, f"{self.base}/api{path}", params=params, headers=headers
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
