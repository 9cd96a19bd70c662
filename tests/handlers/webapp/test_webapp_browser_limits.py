"""The Mini App in a real browser at its limits: launch data the API refuses and searches it
cannot do, told in the page's words, and nothing cut at 360 and 390 px in any language.
Skipped like test_webapp_browser when Chromium or Playwright is missing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from db.engine import Sessions
from tests.directory_helpers import FrozenClock, make_org
from tests.fake_telegram import FakeTelegram
from tests.handlers.webapp.test_webapp_browser import (
    ARMENIAN,
    KAZAKH,
    LANGUAGES,
    ME,
    NOW,
    _settle,
    connected,
    opened,
)
from tests.i18n_helpers import tr, trn
from tests.webapp_helpers import mini_app, sign

if TYPE_CHECKING:
    from playwright.async_api import Page


REOPEN = "This page has expired. Please open NGO Bridge again from the chat with the bot."
START_FIRST = "Please open the chat with the bot and send /start first."


async def _stopped(page: Page, text: str) -> None:
    """The page says `text` and nothing else is live: no tabs, search, filters or list."""
    await page.wait_for_selector("#stop:not([hidden])", timeout=10_000)
    assert await page.inner_text("#stop") == text
    for hidden in ("#tabs", "#q", "#filters", "#list", "#card"):
        assert await page.is_hidden(hidden), hidden
    tg = await page.evaluate("window.__tg")
    assert not tg["mainVisible"] and not tg["backVisible"]


async def test_launch_data_the_api_refuses_ends_the_page_with_what_to_do(
    devtools: str, settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """Expired, tampered or missing initData: "open NGO Bridge again from the chat", in the
    page's language; a stranger: "send /start", in their Telegram's; a page left open past
    the launch data's day: the same as expired, at the next click."""
    await make_org(sessions, ME, language="hy", country="AM")
    await make_org(sessions, KAZAKH, language="kk", country="KZ")
    clock = FrozenClock(NOW)
    token = settings.bot_token.get_secret_value()
    expired = sign(token, ME, NOW - timedelta(hours=24, minutes=1), language_code="hy")
    fresh = sign(token, ME, NOW, language_code="hy")
    tampered = fresh.replace("first_name%22%3A%22Tester", "first_name%22%3A%22Mallory")
    assert tampered != fresh
    async with (
        mini_app(settings, sessions, fake_telegram, clock) as app,
        connected(devtools) as browser,
    ):
        for language, init_data in (("kk", expired), ("hy", tampered), ("en", "")):
            async with opened(browser, app, ME, language, init_data=init_data) as page:
                await _stopped(page, tr(language, REOPEN))
        stranger = sign(token, 999, NOW, language_code="kk-KZ")  # never started the bot
        async with opened(browser, app, 999, "ru", init_data=stranger) as page:
            await _stopped(page, tr("kk", START_FIRST))  # not the menu button's Russian
        async with opened(browser, app, ME, "hy") as page:
            await page.wait_for_selector("#list .c")
            await page.click("#list .c")
            await page.wait_for_selector("#card:not([hidden]) h2")
            clock.advance(hours=24, minutes=1)
            await page.evaluate("window.__tg.pressMain()")  # "Request contact", a day later
            await _stopped(page, tr("hy", REOPEN))
            assert not fake_telegram.method_calls("sendMessage")


async def test_a_search_the_api_cannot_do_is_told_in_the_pages_words(
    devtools: str, settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """A 400's developer text never shows: a filter the API no longer knows (a page older
    than the vocabulary) reads the page's own words; words the search cannot use read the
    API's message in the user's language. The page stays usable."""
    await make_org(sessions, ME, language="hy", country="AM")
    await make_org(sessions, ARMENIAN, language="hy", country="AM", name="Հույս հիմնադրամ")
    async with (
        mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app,
        connected(devtools) as browser,
        opened(browser, app, ME, "hy") as page,
    ):
        await _settle(page, ["Հույս հիմնադրամ"])
        await page.evaluate(
            "() => { const s = document.getElementById('f-topic');"
            " s.add(new Option('astrology', 'astrology')); s.value = 'astrology';"
            " s.dispatchEvent(new Event('change', { bubbles: true })); }"
        )
        words = tr("hy", "This search could not be done. Please change the words or filters.")
        await page.wait_for_function(
            "t => document.getElementById('notice').textContent === t", arg=words
        )
        assert "unknown topic" not in await page.inner_text("body")
        await page.select_option("#f-topic", "")
        await _settle(page, ["Հույս հիմնադրամ"])
        await page.fill("#q", "ա բ")  # two letters, but no word of two
        short = trn("hy", "⚠️ Please send a word of at least {n} letter or digit.",
                    "⚠️ Please send a word of at least {n} letters or digits.", 2)  # fmt: skip
        await page.wait_for_function(
            "t => document.getElementById('notice').textContent === t", arg=short
        )
        assert await page.is_visible("#tabs") and await page.is_hidden("#stop")
        await page.fill("#q", "")
        await _settle(page, ["Հույս հիմնադրամ"])


# For every tab, filter and field shown: its content does not overflow its box, the box
# stays inside the viewport, a field's placeholder fits the field (measured on a canvas in
# the field's font), and the page does not scroll sideways.
OVERFLOWS = """() => {
  const ctx = document.createElement("canvas").getContext("2d");
  const px = v => parseFloat(v) || 0;
  const cut = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    cut.push(["page", "scrolls sideways", document.documentElement.scrollWidth]);
  }
  const shown = "#tabs button, #q, #filters select, #filters .pick, #filters .pick span, #filters .check,"
    + " #filters .check span, #count";
  for (const el of document.querySelectorAll(shown)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const name = el.id || el.textContent.trim() || el.className;
    if (el.scrollWidth > el.clientWidth) cut.push([name, "overflows", el.scrollWidth, el.clientWidth]);
    if (box.left < 0 || box.right > window.innerWidth) cut.push([name, "outside", box.left, box.right]);
    if (el.placeholder) {
      const cs = getComputedStyle(el);
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const room = el.clientWidth - px(cs.paddingLeft) - px(cs.paddingRight);
      const need = ctx.measureText(el.placeholder).width;
      if (need > room) cut.push([name, "placeholder", Math.ceil(need), room]);
    }
  }
  return cut;
}"""

# Each filter set to its longest option, as a user may leave it.
LONGEST = """() => {
  for (const sel of document.querySelectorAll("#filters select")) {
    const longest = [...sel.options].reduce((a, b) => (b.text.length > a.text.length ? b : a));
    sel.value = longest.value;
  }
  document.getElementById("f-verified").checked = true;
  document.getElementById("filters").dispatchEvent(new Event("change"));
  return [...document.querySelectorAll("#filters .pick span")].map(s => s.textContent);
}"""


async def test_nothing_is_cut_at_360_and_390_px_in_any_language(
    devtools: str,
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    tmp_path: Path,
) -> None:
    for user_id, language in enumerate(LANGUAGES, start=ME):
        await make_org(sessions, user_id, language=language, country="KG", name=f"NGO {language}")
    async with (
        mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app,
        connected(devtools) as browser,
    ):
        for user_id, language in enumerate(LANGUAGES, start=ME):
            for width in (360, 390):
                async with opened(browser, app, user_id, language, width=width) as page:
                    await page.wait_for_selector("#list .c")
                    assert await page.inner_text("#t-suggested") == tr(language, "⭐ For you")
                    shot = tmp_path / f"webapp-{language}-{width}.png"
                    await page.screenshot(path=str(shot))
                    assert await page.evaluate(OVERFLOWS) == [], shot
                    chosen = await page.evaluate(LONGEST)
                    assert all(not chip.endswith(": ") for chip in chosen)
                    await page.screenshot(path=str(tmp_path / f"webapp-{language}-{width}-set.png"))
                    assert await page.evaluate(OVERFLOWS) == [], (shot, chosen)
