"""The Mini App at 100,000 organisations: the API's search, filters and suggestions timed
server-side, and the page's first usable render in headless Chromium on a slow 3G network
emulated through the DevTools protocol, with what it transfers.

    python -m bench.webapp [--orgs 100000] [--queries 100] [--warmup 5] [--seed 1]
                           [--runs 3] [--json bench/results/webapp.json] [--db-dir DIR]
                           [--no-browser]

The fixture is the directory bench's (`bench.directory.build_fixture`, SQLite on disk).
The Mini App is mounted as `python -m bot` mounts it (`bot.handlers.webapp.server.mount`)
on an aiohttp server on 127.0.0.1; requests carry initData signed with the bench's token
for a random viewer, and an aiohttp middleware times each request from its arrival to its
response (signature and age check, the user's lookup, the service call, the JSON), which
is the server-side latency. Shapes take turns, as in the directory bench.

The browser part loads the page as Telegram opens it (a stub `window.Telegram.WebApp`
injected before the page's scripts) at 390×844 in Debian's Chromium, with the network
throttled by `Network.emulateNetworkConditions`: "usable" is when the page's script has
labelled the search field, tabs and filters (DOMContentLoaded: it runs at the end of the
body), "list" when the first card of the first page is drawn. Two profiles: WebPageTest's
"3G Slow" (400 ms round trip, 400 kbit/s) and Chrome DevTools' "Slow 3G" preset (2,000 ms
per request, 400 kbit/s), in which one request alone takes 2 s. Exit status 1 when the
run was wrong (a call failed), not when a target is missed. initData is signed and the
WebApp stubbed with the tests' own helpers (testing/init_data.py, testing/browser.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import aiohttp
from aiohttp import web

from bench.common import (
    FAKE_TOKEN,
    JSON,
    RESULTS,
    argument_parser,
    environment,
    finish,
    latency_summary,
    peak_rss_mb,
)
from bench.directory import Query, QueryMaker, build_fixture
from bot.app import create_bot, create_dispatcher
from bot.config import load_settings
from bot.handlers.webapp import server
from bot.runner import run_event_loop
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade
from testing.browser import ARGS, CHROMIUM, LIGHT, PHONE, browser_missing, telegram_stub
from testing.init_data import sign

TARGET_P95_MS: Final = 30.0
TARGET_USABLE_MS: Final = 1000.0
PAGE_LIMIT: Final = 100 * 1024  # bytes before gzip
SCROLL_PAGE: Final = 5  # the sixth page of 20: a long scroll
SHAPES: Final = {
    "one_filter": "search, one filter (topic)",
    "three_filters": "search, three filters",
    "free_text": "search, words (3–5 letters, any script)",
    "text_filters": "search, words and filters",
    "scroll": f"search, page {SCROLL_PAGE + 1} of one filter",
    "suggested": "suggested for you",
}
# kbit/s as bytes per second, round trip in ms (CDP adds it to every request).
PROFILES: Final = {
    "3g_slow": {"latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000},
    "devtools_slow_3g": {
        "latency": 2000,
        "downloadThroughput": 50_000,
        "uploadThroughput": 50_000,
    },
}
PROBE: Final = """
document.addEventListener("DOMContentLoaded", function () {
  var t = document.getElementById("t-directory");
  window.__usable = t && t.textContent ? performance.now() : -1;
});
new MutationObserver(function (_, observer) {
  if (!document.querySelector("#list .c")) return;
  window.__listed = performance.now();
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""


def _params(query: Query, shape: str) -> tuple[str, dict[str, str]]:
    if query.filters is None:
        return "/suggestions", {}
    filters = query.filters
    params = {
        name: value
        for name, value in (
            ("topic", filters.topic),
            ("country", filters.country),
            ("format", filters.format),
            ("q", filters.text),
        )
        if value
    }
    if shape == "scroll":
        params["page"] = str(SCROLL_PAGE)
    return "/search", params


def _make(maker: QueryMaker, shape: str) -> Query:
    return maker.make("one_filter" if shape == "scroll" else shape)


class Timings:
    """Server-side time per request, by the shape the bench names in a header."""

    def __init__(self) -> None:
        self.by_shape: dict[str, list[float]] = {shape: [] for shape in SHAPES}
        self.recording = False

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        start = time.perf_counter()
        response = await handler(request)
        shape = request.headers.get("X-Bench-Shape")
        if self.recording and shape in self.by_shape:
            self.by_shape[shape].append(time.perf_counter() - start)
        return response


async def _api(
    base: str, maker: QueryMaker, timings: Timings, args: argparse.Namespace
) -> tuple[JSON, list[str]]:
    failures: list[str] = []
    counts = {shape: 0 for shape in SHAPES}
    async with aiohttp.ClientSession() as http:

        async def call(shape: str) -> None:
            query = _make(maker, shape)
            path, params = _params(query, shape)
            init = sign(FAKE_TOKEN, query.user_id, datetime.now(UTC))
            headers = {"Authorization": f"tma {init}", "X-Bench-Shape": shape}
            async with http.get(f"{base}/api{path}", params=params, headers=headers) as response:
                body = await response.json()
                if response.status != 200:
                    failures.append(f"{shape}: {response.status} {body}")
                counts[shape] += len(body.get("items", ()))

        for _ in range(args.warmup):
            for shape in SHAPES:
                await call(shape)
        timings.recording = True
        for _ in range(args.queries):
            for shape in SHAPES:
                await call(shape)
        timings.recording = False
    shapes = {}
    for shape, label in SHAPES.items():
        ms = latency_summary(timings.by_shape[shape])
        shapes[shape] = {
            "label": label,
            "n": len(timings.by_shape[shape]),
            "latency_ms": ms,
            "target_p95_ms": TARGET_P95_MS,
            "met": ms["p95"] is not None and ms["p95"] < TARGET_P95_MS,
            "mean_cards": round(counts[shape] / max(1, args.queries + args.warmup), 2),
        }
    return shapes, failures


async def _render(base: str, viewer: int, runs: int) -> JSON:
    from playwright.async_api import async_playwright

    results: JSON = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for name, conditions in PROFILES.items():
                samples = []
                for _ in range(runs):
                    context = await browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
                    init = sign(FAKE_TOKEN, viewer, datetime.now(UTC))
                    await context.add_init_script(telegram_stub(init, LIGHT, "light") + PROBE)
                    page = await context.new_page()
                    cdp = await context.new_cdp_session(page)
                    sizes: dict[str, int] = {}
                    urls: dict[str, str] = {}

                    def sent(event: dict[str, Any], urls: dict[str, str] = urls) -> None:
                        urls[event["requestId"]] = event["request"]["url"]

                    def done(event: dict[str, Any], sizes: dict[str, int] = sizes) -> None:
                        sizes[event["requestId"]] = int(event["encodedDataLength"])

                    cdp.on("Network.requestWillBeSent", sent)
                    cdp.on("Network.loadingFinished", done)
                    await cdp.send("Network.enable")
                    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                    await cdp.send(
                        "Network.emulateNetworkConditions", {"offline": False, **conditions}
                    )
                    await page.goto(f"{base}/?lang=ru", wait_until="domcontentloaded")
                    await page.wait_for_function("() => window.__listed", timeout=60_000)
                    usable, listed, paint = await page.evaluate(
                        "() => [window.__usable, window.__listed, (performance.getEntriesByName("
                        "'first-contentful-paint')[0] || {}).startTime || null]"
                    )
                    await asyncio.sleep(0.2)  # the last loadingFinished events
                    page_bytes = sum(
                        size for rid, size in sizes.items() if "/api/" not in urls.get(rid, "")
                    )
                    samples.append(
                        {
                            "usable_ms": round(usable, 1),
                            "first_paint_ms": round(paint, 1) if paint else None,
                            "list_ms": round(listed, 1),
                            "transferred_bytes": sum(sizes.values()),
                            "page_transferred_bytes": page_bytes,
                            "requests": len(urls),
                        }
                    )
                    await context.close()
                usable = statistics.median(s["usable_ms"] for s in samples)
                results[name] = {
                    "conditions": conditions,
                    "runs": samples,
                    "usable_ms_median": usable,
                    "list_ms_median": statistics.median(s["list_ms"] for s in samples),
                    "target_usable_ms": TARGET_USABLE_MS,
                    "met": usable < TARGET_USABLE_MS,
                }
        finally:
            await browser.close()
    return results


async def benchmark(args: argparse.Namespace, url: str) -> tuple[JSON, list[str]]:
    """Build the fixture, serve the Mini App, measure the API and the page."""
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    fixture = await build_fixture(engine, args.orgs, args.seed, datetime.now(UTC))
    settings = load_settings(
        _env_file=None,
        bot_token=FAKE_TOKEN,
        database_url=url,
        webapp_url="https://bench.example.org/app",
        telegram_api_base="http://127.0.0.1:9",  # nothing here talks to Telegram
    )
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions)
    timings = Timings()
    app = web.Application(middlewares=[timings.middleware])
    server.mount(app, settings, bot, dp)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    base = f"http://{host}:{port}{settings.webapp_path()}"
    plain, packed = server.Pages(dp["i18n"], "ru", "/app/api").body("ru")
    try:
        maker = QueryMaker(random.Random(args.seed + 1), fixture.viewers)
        shapes, failures = await _api(base, maker, timings, args)
        render: JSON | None = None
        if not args.no_browser:
            missing = browser_missing()
            if missing is not None:
                failures.append(missing)
            else:
                render = await _render(base, fixture.viewers[0], args.runs)
    finally:
        await runner.cleanup()
        await bot.session.close()
        await engine.dispose()
    result = {
        "fixture": {"organisations": args.orgs, "build_s": round(fixture.build_s, 2)},
        "api": shapes,
        "page": {
            "bytes": len(plain),
            "gzip_bytes": len(packed),
            "limit_bytes": PAGE_LIMIT,
            "met": len(plain) < PAGE_LIMIT,
        },
        "render": render,
    }
    return result, failures


def print_report(result: JSON, config: JSON) -> None:
    """A readable table of the figures."""
    print(
        f"\nMini App benchmark: {config['organisations']} organisations, {config['queries']} "
        f"calls per shape, {config['cpus']} CPUs, Python {config['python']}, "
        f"code {config['code']} (fixture built in {result['fixture']['build_s']:.1f} s)"
    )
    print(f"\n{'API call, server-side':<44}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}  target")
    for shape in result["api"].values():
        ms = shape["latency_ms"]
        print(
            f"{shape['label']:<44}{ms['p50']:>8.2f}{ms['p95']:>8.2f}{ms['max']:>8.2f}  "
            f"p95 < {TARGET_P95_MS:g} ms " + ("met" if shape["met"] else "MISSED")
        )
    page = result["page"]
    print(
        f"\npage: {page['bytes']:,} bytes before gzip ({page['gzip_bytes']:,} gzipped), "
        f"limit {PAGE_LIMIT:,}: " + ("met" if page["met"] else "MISSED")
    )
    for name, profile in (result["render"] or {}).items():
        c = profile["conditions"]
        print(
            f"\n{name} ({c['latency']} ms per request, {c['downloadThroughput'] * 8 // 1000} "
            f"kbit/s): usable {profile['usable_ms_median']:.0f} ms (target < "
            f"{TARGET_USABLE_MS:g}: " + ("met" if profile["met"] else "MISSED") + "), "
            f"first page of cards {profile['list_ms_median']:.0f} ms"
        )
        for run in profile["runs"]:
            print(
                f"  usable {run['usable_ms']:>7.0f} ms  first paint {run['first_paint_ms']} ms  "
                f"list {run['list_ms']:>7.0f} ms  transferred {run['transferred_bytes']:,} B "
                f"(page {run['page_transferred_bytes']:,} B) in {run['requests']} requests"
            )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser(__doc__)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="measured calls per shape")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured calls per shape")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="page loads per network profile")
    parser.add_argument("--json", default=str(RESULTS / "webapp.json"))
    parser.add_argument("--db-dir", default=None, help="where the temporary SQLite file goes")
    parser.add_argument("--no-browser", action="store_true", help="the API only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Create the schema (before the event loop, as `python -m bot` does), run, report."""
    args = parse_args(argv)
    config: JSON = {
        "organisations": args.orgs,
        "queries": args.queries,
        "warmup": args.warmup,
        "seed": args.seed,
        "runs": args.runs,
        **environment(sqlite=sqlite3.sqlite_version),
    }
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(
            tempfile.TemporaryDirectory(prefix="ngo-bench-", dir=args.db_dir)
        )
        url = f"sqlite+aiosqlite:///{Path(folder) / 'webapp.db'}"
        upgrade(url)
        result, failures = run_event_loop(benchmark(args, url))
    result["peak_rss_mb"] = peak_rss_mb()
    return finish({"config": config, **result}, config, failures, args.json, print_report)


if __name__ == "__main__":
    sys.exit(main())
