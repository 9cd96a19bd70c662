"""The Mini App in a real browser (headless Chromium at a phone's 390×844), against the
real bot and its API: words in Kazakh and Armenian script narrow the list, a filter, a
card, "Request contact" reaching the other organisation in the chat, "I'll attend"
sending the calendar file, Telegram's light and dark themes; screenshots in five
languages; the page's refusals and its fit at 360 px are test_webapp_browser_limits.
Skipped when Chromium or Playwright is missing, unless REQUIRE_BROWSER is set
(.ci/run sets it once it has installed Debian's chromium)."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest

from bot.config import Settings
from bot.handlers.events import drafts, publishing
from bot.handlers.events.drafts import Draft
from db.engine import Sessions
from tests.browser_helpers import DARK, LIGHT, PHONE, telegram_stub
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import plain, quoted, tr, trn
from tests.webapp_helpers import MiniApp, mini_app

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page


NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
ME, KAZAKH, ARMENIAN = 900, 901, 902
ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ("ru", "kk", "hy", "ky", "en")


@asynccontextmanager
async def connected(devtools: str) -> AsyncIterator[Browser]:
    """Playwright attached to the module's Chromium."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        yield await playwright.chromium.connect_over_cdp(devtools)


@asynccontextmanager
async def opened(
    browser: Browser,
    app: MiniApp,
    user_id: int,
    language: str,
    theme: dict[str, str] = LIGHT,
    scheme: str = "light",
    *,
    init_data: str | None = None,
    width: int = PHONE["width"],
) -> AsyncIterator[Page]:
    """The page as Telegram opens it for `user_id` (or with `init_data` as given): stub
    WebApp, a phone's viewport."""
    viewport = {**PHONE, "width": width}
    context = await browser.new_context(viewport=viewport, device_scale_factor=2)  # type: ignore[arg-type]
    if init_data is None:
        init_data = app.init_data(user_id)
    try:
        await context.add_init_script(telegram_stub(init_data, theme, scheme))
        page = await context.new_page()
        await page.goto(f"{app.base}/?lang={language}")
        yield page
    finally:
        await context.close()


async def _settle(page: Page, expected: list[str]) -> None:
    await page.wait_for_function(
        "names => JSON.stringify([...document.querySelectorAll('#list .c h3')]"
        ".map(e => e.firstChild.textContent)) === JSON.stringify(names)",
        arg=expected,
        timeout=10_000,
    )


async def test_search_filter_card_request_and_attend_in_the_browser(
    devtools: str, settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, language="kk", name="Біздің қор", country="KZ",
                   want_learn=["impact"])  # fmt: skip
    await make_org(sessions, KAZAKH, language="ru", name="Үміт қоры", city="Алматы",
                   country="KZ", can_share=["fundraising"])  # fmt: skip
    await make_org(sessions, ARMENIAN, language="hy", name="Հույս հիմնադրամ", city="Երևան",
                   country="AM", can_share=["impact"])  # fmt: skip
    start = NOW + timedelta(days=10)
    webinar = Draft(kind="webinar", title="Impact basics", description="Two hours.",
                    starts_at=start, ends_at=start + timedelta(hours=2), time_zone="UTC",
                    link="https://meet.example.org/x", topics=("impact",))  # fmt: skip
    event = await drafts.save(sessions, webinar, ADMIN_ID, NOW)
    assert await publishing.publish(sessions, event, NOW, "ru") is not None
    armenian = Conversation(fake_telegram, TgUser(ARMENIAN, "Ani", language_code="hy"))
    me = Conversation(fake_telegram, TgUser(ME, "Aigerim", language_code="kk"))
    async with (
        mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app,
        connected(devtools) as browser,
        opened(browser, app, ME, "kk", LIGHT, "light") as page,
    ):
        assert await page.inner_text("#t-directory") == tr("kk", "🗂 Directory")
        await _settle(page, ["Հույս հիմնադրամ", "Үміт қоры"])
        found = trn("kk", "{n} organisation found", "{n} organisations found", 2)
        assert await page.inner_text("#count") == found
        await page.fill("#q", "үмі")  # Kazakh letters, typed: the list narrows as they type
        await _settle(page, ["Үміт қоры"])
        await page.fill("#q", "Հույ")  # Armenian
        await _settle(page, ["Հույս հիմնադրամ"])
        await page.fill("#q", "")
        await _settle(page, ["Հույս հիմնադրամ", "Үміт қоры"])
        await page.select_option("#f-country", "KZ")
        await _settle(page, ["Үміт қоры"])
        await page.select_option("#f-country", "")
        await _settle(page, ["Հույս հիմնադրամ", "Үміт қоры"])
        # A card: opened in full, BackButton shown, MainButton asks for contacts.
        await page.click("#list .c >> text=Հույս հիմնադրամ")
        await page.wait_for_selector("#card:not([hidden]) h2")
        assert await page.inner_text("#card h2") == "Հույս հիմնադրամ"
        assert "org@example.org" not in await page.inner_text("#card")
        tg = await page.evaluate("window.__tg")
        assert tg["backVisible"] and tg["mainVisible"]
        assert tg["mainText"] == tr("kk", "📨 Request contact")
        await page.evaluate("window.__tg.pressMain()")
        sent = plain(tr("kk", "📨 Your request has been sent to {name}. We will tell you "
                              "when they answer.", name=quoted("kk", "Հույս հիմնադրամ")))  # fmt: skip
        await page.wait_for_function("t => document.getElementById('toast').textContent === t",
                                     arg=sent)  # fmt: skip
        assert await page.evaluate("window.__tg.haptics") == ["success"]
        incoming = await fake_telegram.wait_for(lambda: armenian.messages())
        assert plain(tr("hy", "📨 <b>{name}</b> would like to get in touch with your "
                              "organisation.", name="Біздің қор")) in incoming[-1]["text"]  # fmt: skip
        await page.evaluate("window.__tg.pressBack()")
        await page.wait_for_selector("#card", state="hidden")
        assert not await page.evaluate("window.__tg.mainVisible")
        # Events: "I'll attend" sends the calendar file in the chat.
        await page.click("#t-events")
        await page.wait_for_selector("#list .ev")
        assert await page.inner_text("#list .ev h3") == "Impact basics"
        await page.click("#list .ev button")
        await page.wait_for_function(
            "t => document.querySelector('#list .ev button').textContent === t",
            arg=tr("kk", "✅ You are going"),
        )
        sent = tr("kk", SENT).format(title=quoted("kk", "Impact basics"))  # not "the file is below"
        await page.wait_for_function("t => document.getElementById('toast').textContent === t",
                                     arg=sent)  # fmt: skip
        assert await page.is_visible("#toast")
        document = (await fake_telegram.wait_for(lambda: me.messages()))[-1]
        assert document["document"]["file_name"] == f"event-{event}.ics"


SENT = (
    "✅ You are on the list for {title}. The calendar file has been sent to your chat with "
    "the bot; we will remind you there a day and an hour before."
)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: WEBAPP_SCREENSHOTS (docs/screenshots for the README), else a
    temporary folder."""
    folder = Path(os.environ.get("WEBAPP_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def test_themes_and_languages_with_screenshots(
    devtools: str, settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, shots: Path
) -> None:
    for user_id, language in enumerate(LANGUAGES, start=ME):
        await make_org(sessions, user_id, language=language, country="KG",
                       name=f"NGO {language}", city="Bishkek",
                       can_share=["fundraising", "impact"], want_learn=["legal"])  # fmt: skip
    await make_org(sessions, 950, name="Қамқорлық қоры", city="Алматы", country="KZ",
                   can_share=["impact", "reporting"], want_learn=["fundraising"])  # fmt: skip
    await make_org(sessions, 951, name="Հույս հիմնադրամ", city="Երևան", country="AM",
                   can_share=["management"], want_learn=["digital"])  # fmt: skip
    async with (
        mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app,
        connected(devtools) as browser,
    ):
        for user_id, language in enumerate(LANGUAGES, start=ME):
            for scheme, theme in (("light", LIGHT), ("dark", DARK)):
                async with opened(browser, app, user_id, language, theme, scheme) as page:
                    await page.wait_for_selector("#list .c")
                    assert await page.inner_text("#t-events") == tr(language, "📅 Events")
                    background = await page.evaluate(
                        "getComputedStyle(document.body).backgroundColor"
                    )
                    expected = "rgb(23, 33, 43)" if scheme == "dark" else "rgb(255, 255, 255)"
                    assert background == expected
                    await page.screenshot(path=str(shots / f"webapp-{scheme}-{language}.png"))


PROXY = """
window.__events = [];
window.TelegramWebviewProxy = {
  postEvent: function (type, data) { window.__events.push([type, JSON.parse(data || "{}")]); }
};
"""


async def test_without_telegrams_script_the_page_speaks_the_mini_app_protocol_itself(
    devtools: str, settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """No `window.Telegram.WebApp` (we do not load telegram-web-app.js): launch data from
    the URL's hash, events to the client's proxy, and its events back."""
    await make_org(sessions, ME, language="en", country="KZ")
    await make_org(sessions, ARMENIAN, language="hy", name="Հույս հիմնադրամ", country="AM")
    armenian = Conversation(fake_telegram, TgUser(ARMENIAN, "Ani", language_code="hy"))
    async with (
        mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app,
        connected(devtools) as browser,
    ):
        context = await browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
        try:
            await context.add_init_script(PROXY)
            page = await context.new_page()
            launch = urlencode(
                {
                    "tgWebAppData": app.init_data(ME),
                    "tgWebAppVersion": "8.0",
                    "tgWebAppPlatform": "android",
                    "tgWebAppThemeParams": json.dumps(DARK),
                }
            )
            await page.goto(f"{app.base}/?lang=en#{launch}")
            await _settle(page, ["Հույս հիմնադրամ"])
            background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background == "rgb(23, 33, 43)"
            await page.click("#list .c")
            await page.wait_for_selector("#card:not([hidden]) h2")
            events = await page.evaluate("window.__events")
            assert ["web_app_ready", {}] in events
            assert ["web_app_setup_back_button", {"is_visible": True}] in events
            main = [data for name, data in events if name == "web_app_setup_main_button"]
            assert main[-1]["is_visible"] and main[-1]["text"] == "📨 Request contact"
            await page.evaluate("window.Telegram.WebView.receiveEvent('main_button_pressed')")
            await fake_telegram.wait_for(lambda: armenian.messages())
            await page.wait_for_function(
                "() => window.__events.some(e => e[0] === 'web_app_trigger_haptic_feedback'"
                " && e[1].notification_type === 'success')"
            )
            await page.evaluate("window.Telegram.WebView.receiveEvent('back_button_pressed')")
            await page.wait_for_selector("#card", state="hidden")
        finally:
            await context.close()


async def test_the_list_goes_on_as_the_user_scrolls(
    devtools: str, settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, language="en", country="KZ")
    for number in range(27):
        await make_org(sessions, 1000 + number, name=f"Fund {number:02}", country="KG")
    async with (
        mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app,
        connected(devtools) as browser,
        opened(browser, app, ME, "en", LIGHT, "light") as page,
    ):
        await page.wait_for_function("() => document.querySelectorAll('#list .c').length === 20")
        assert await page.inner_text("#count") == "27 organisations found"
        await page.mouse.wheel(0, 20_000)
        await _settle(page, [f"Fund {number:02}" for number in reversed(range(27))])


async def _main_button(page: Page, text: str | None) -> None:
    """Wait until the MainButton shows `text`, live (or is hidden, for None)."""
    await page.wait_for_function(
        "t => t === null ? !window.__tg.mainVisible"
        " : window.__tg.mainVisible && window.__tg.mainActive && window.__tg.mainText === t",
        arg=text,
        timeout=10_000,
    )


async def test_the_main_button_shows_what_the_filters_found(
    devtools: str, settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """On the list, the MainButton is the way from the search field and filters to the
    cards ("Show N organisations", the keyboard closed), or clears filters that found
    nothing; hidden when nothing is narrowed, on the other tabs, and once used."""
    await make_org(sessions, ME, language="kk", name="Біздің қор", country="KZ")
    await make_org(sessions, KAZAKH, language="ru", name="Үміт қоры", country="KZ")
    await make_org(sessions, ARMENIAN, language="hy", name="Հույս հիմնադրամ", country="AM")
    both = ["Հույս հիմնադրամ", "Үміт қоры"]

    def show(n: int) -> str:
        return trn("kk", "Show {n} organisation", "Show {n} organisations", n)

    async with (
        mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app,
        connected(devtools) as browser,
        opened(browser, app, ME, "kk", LIGHT, "light") as page,
    ):
        await _settle(page, both)
        await _main_button(page, None)  # the whole directory: nothing to narrow to
        assert ["show"] not in await page.evaluate("window.__tg.mainCalls")
        await page.select_option("#f-focus", "children")
        await _main_button(page, show(2))
        before = len(await page.evaluate("window.__tg.mainCalls"))
        await page.fill("#q", "үмі")  # the count changes as they type
        await _settle(page, ["Үміт қоры"])
        await _main_button(page, show(1))
        calls = (await page.evaluate("window.__tg.mainCalls"))[before:]
        busy = [["setText", show(2)], ["disable"], ["show"]]  # while the list is fetched
        assert calls == [*busy, ["setText", show(1)], ["enable"], ["show"]]
        await page.focus("#q")
        await page.evaluate("window.__tg.pressMain()")
        await _main_button(page, None)  # used: the keyboard closes, the cards show
        assert await page.evaluate("document.activeElement.id") != "q"
        assert await page.inner_text("#list") != ""
        await page.fill("#q", "жжжж")
        await _settle(page, [])
        await _main_button(page, tr("kk", "🧹 Clear filters"))
        await page.evaluate("window.__tg.pressMain()")
        await _settle(page, both)
        await _main_button(page, None)
        assert await page.input_value("#q") == ""
        assert await page.input_value("#f-focus") == ""
        await page.select_option("#f-focus", "children")
        await _main_button(page, show(2))
        await page.click("#list .c >> text=Үміт қоры")  # a card has its own MainButton
        await _main_button(page, tr("kk", "📨 Request contact"))
        await page.evaluate("window.__tg.pressBack()")
        await _main_button(page, show(2))  # back on the list, its own again
        await page.click("#t-suggested")
        await _main_button(page, None)
        await page.click("#t-directory")  # the filters are kept, and so is the button
        await _main_button(page, show(2))
