"""Headless Chromium for the Mini App's browser tests: Debian's `chromium` (Playwright's own
browser download cannot work here), started once and shared over the DevTools protocol,
driven by Playwright's Python package, with a stub `window.Telegram.WebApp` injected
before the page loads (theme, signed initData, BackButton, MainButton, haptics)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
LIGHT = {
    "bg_color": "#ffffff",
    "secondary_bg_color": "#f0f0f4",
    "text_color": "#000000",
    "hint_color": "#707579",
    "link_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
}
DARK = {
    "bg_color": "#17212b",
    "secondary_bg_color": "#232e3c",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
}


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if shutil.which(CHROMIUM) is None:
        return f"{CHROMIUM} is not installed (.ci/run installs Debian's chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e .[dev])"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def chromium() -> Iterator[str]:
    """One headless Chromium for the session: its DevTools endpoint URL."""
    port = _free_port()
    profile = tempfile.mkdtemp(prefix="ngo-bridge-chromium-")
    process = subprocess.Popen(
        [
            CHROMIUM,
            *ARGS,
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "--remote-debugging-address=127.0.0.1",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/json/version", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("chromium did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


STUB = """
(function () {
  var v = __VALUES__;
  var tg = window.__tg = { back: [], main: [], mainCalls: [], haptics: [], mainText: "", mainVisible: false,
                           mainActive: true, backVisible: false, ready: false, links: [], closed: false };
  window.Telegram = { WebApp: {
    initData: v.initData, themeParams: v.themeParams, colorScheme: v.colorScheme,
    ready: function () { tg.ready = true; }, expand: function () {}, onEvent: function () {},
    BackButton: { show: function () { tg.backVisible = true; },
                  hide: function () { tg.backVisible = false; },
                  onClick: function (f) { tg.back.push(f); }, offClick: function () {} },
    MainButton: { setText: function (t) { tg.mainCalls.push(["setText", t]); tg.mainText = t; },
                  show: function () { tg.mainCalls.push(["show"]); tg.mainVisible = true; },
                  hide: function () { tg.mainCalls.push(["hide"]); tg.mainVisible = false; },
                  enable: function () { tg.mainCalls.push(["enable"]); tg.mainActive = true; },
                  disable: function () { tg.mainCalls.push(["disable"]); tg.mainActive = false; },
                  onClick: function (f) { tg.main.push(f); }, offClick: function () {} },
    HapticFeedback: { notificationOccurred: function (t) { tg.haptics.push(t); } },
    openTelegramLink: function (url) { tg.links.push(url); }, close: function () { tg.closed = true; }
  } };
  tg.pressMain = function () { tg.main.forEach(function (f) { f(); }); };
  tg.pressBack = function () { tg.back.forEach(function (f) { f(); }); };
})();
"""  # noqa: E501 (a line of the stub as the page receives it)


def telegram_stub(init_data: str, theme: dict[str, str], scheme: str) -> str:
    """A script defining `window.Telegram.WebApp` as Telegram's client would, recording
    what the page asks of it in `window.__tg` (tests press its buttons through it)."""
    values = json.dumps({"initData": init_data, "themeParams": theme, "colorScheme": scheme})
    return STUB.replace("__VALUES__", values)


def stub_state(value: Any) -> dict[str, Any]:
    """`window.__tg` as Playwright returns it."""
    assert isinstance(value, dict)
    return value
