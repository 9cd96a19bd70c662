"""Serving the Mini App: the page (from the package's static files, inlined into one
response per language) and the API, on the webhook's aiohttp application or, when
polling, on a server of its own on WEBAPP_PORT."""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Final

from aiogram import Bot, Dispatcher
from aiogram.utils.i18n import I18n
from aiohttp import web

from bot.config import Settings
from bot.handlers.webapp import texts, views
from bot.handlers.webapp.api import Api, Services
from bot.languages import LANGUAGES

log = logging.getLogger(__name__)
STATIC: Final = resources.files("bot.handlers.webapp") / "static"
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "connect-src 'self'; img-src 'self' data:; frame-ancestors https://*.telegram.org "
        "https://telegram.org https://web.telegram.org"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@cache
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def page(i18n: I18n, language: str, api: str) -> str:
    """The whole page: its style and script inlined (one request on a slow network), with
    the words and the filters' options of `language`, so it is usable before any call."""
    with i18n.context(), i18n.use_locale(language):
        boot = {
            "lang": language,
            "api": api,
            "strings": texts.strings(),
            "vocab": views.vocabularies(),
        }
    data = json.dumps(boot, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return (
        _static("index.html")
        .replace("/*STYLE*/", _static("app.css"))
        .replace("/*BOOT*/", data)
        .replace("/*SCRIPT*/", _static("app.js"))
        .replace('lang="en"', f'lang="{language}"')
    )


class Pages:
    """The page per language, built once, kept plain and gzipped."""

    def __init__(self, i18n: I18n, default_language: str, api: str) -> None:
        self._i18n = i18n
        self._default = default_language
        self._api = api
        self._built: dict[str, tuple[bytes, bytes]] = {}

    def body(self, language: str) -> tuple[bytes, bytes]:
        """The page in `language` (or the default), plain and gzipped."""
        language = language if language in LANGUAGES else self._default
        if language not in self._built:
            plain = page(self._i18n, language, self._api).encode()
            self._built[language] = (plain, gzip.compress(plain, compresslevel=9, mtime=0))
        return self._built[language]

    async def handle(self, request: web.Request) -> web.Response:
        """GET the page."""
        plain, packed = self.body(request.query.get("lang", ""))
        zipped = "gzip" in request.headers.get("Accept-Encoding", "")
        response = web.Response(
            body=packed if zipped else plain,
            content_type="text/html",
            charset="utf-8",
            headers=SECURITY_HEADERS,
        )
        if zipped:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        return response


def mount(app: web.Application, settings: Settings, bot: Bot, dp: Dispatcher) -> None:
    """Add the page and the API to `app` (the webhook's, or the Mini App's own) under
    WEBAPP_URL's path."""
    prefix = settings.webapp_path()
    services = Services(
        bot=bot,
        sessions=dp["sessions"],
        i18n=dp["i18n"],
        clock=dp["clock"],
        notifier=dp["notifier"],
        planner=dp["planner"],
        token=settings.bot_token.get_secret_value(),
        default_language=settings.default_language,
    )
    pages = Pages(dp["i18n"], settings.default_language, f"{prefix}/api")
    app.add_routes([web.get(f"{prefix}/", pages.handle), *Api(services).routes(prefix)])
    if prefix:
        app.add_routes([web.get(prefix, _to_slash)])


async def _to_slash(request: web.Request) -> web.Response:
    query = f"?{request.query_string}" if request.query_string else ""
    raise web.HTTPFound(f"{request.path}/{query}")


async def start(
    settings: Settings, bot: Bot, dp: Dispatcher, routes: Sequence[web.RouteDef] = ()
) -> web.AppRunner:
    """When polling: the Mini App's own server on WEBAPP_PORT (stop it with `cleanup`),
    with more `routes` (the operator's /healthz, /readyz and /metrics)."""
    app = web.Application()
    mount(app, settings, bot, dp)
    app.add_routes(routes)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.webapp_port).start()
    where = (settings.webhook_host, settings.webapp_port, settings.webapp_path())
    log.info("mini app on %s:%s%s/", *where)
    return runner
