"""📣 Calls and offers as a tab of the Mini App (issue 21.6): the same service as the chat
behind `/api/offers` (signed initData on every request; kind, topic and country filters;
forged codes refused; the caller's own organisation's posts marked, not answerable), each
post with the t.me link that opens it in the bot to answer there; and the tab in headless
Chromium, in Kazakh, whose button opens that link through Telegram."""

from __future__ import annotations

import pytest

from bot.config import Settings
from db.engine import Sessions
from tests.browser_helpers import LIGHT
from tests.directory_helpers import FrozenClock
from tests.event_helpers import NOW
from tests.fake_telegram import FakeTelegram
from tests.handlers.find.find_helpers import READER, network, posts
from tests.handlers.webapp.test_webapp_browser import connected, opened
from tests.i18n_helpers import tr
from tests.webapp_helpers import mini_app

pytestmark = pytest.mark.databases("sqlite", "postgresql")
KK = "kk"
BOT = "https://t.me/ngo_bridge_test_bot?start="


async def test_the_offers_api_lists_what_is_open_with_filters_and_links(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    ids = await posts(sessions, await network(sessions))
    async with mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app:
        assert await app.call("GET", "/offers") == (401, {"error": "unauthorized"})
        status, body = await app.call("GET", "/offers", READER)
        assert status == 200 and body["has_next"] is False
        assert [(i["post"], i["id"]) for i in body["items"]] == [
            ("call", ids.am_call),
            ("event", ids.ru_internship),
            ("event", ids.kg_webinar),
            ("call", ids.own_call),
        ]
        first = body["items"][0]
        assert first["title"] == "Digital <tools> for villages"  # as typed: the page escapes
        assert first["kind"] == tr(KK, "🤝 Partner calls")
        assert first["link"] == f"{BOT}call_{ids.am_call}" and first["mine"] is False
        assert body["items"][1]["link"] == f"{BOT}event_{ids.ru_internship}"
        assert body["items"][3]["mine"] is True
        status, body = await app.call("GET", "/offers", READER, kind="internship")
        assert [i["id"] for i in body["items"]] == [ids.ru_internship]
        status, body = await app.call("GET", "/offers", READER, topic="fundraising", country="KG")
        assert [i["id"] for i in body["items"]] == [ids.kg_webinar]
        status, body = await app.call("GET", "/offers", READER, topic="legal", kind="call")
        assert body["items"] == []
        assert body["notice"].endswith(tr(KK, "Nothing open matches these filters for now."))
        for bad in ({"kind": "spam"}, {"topic": "x" * 80}, {"country": "ZZ"}, {"page": "-1"}):
            status, body = await app.call("GET", "/offers", READER, **bad)
            assert status == 400 and body["error"] == "bad_request", bad
        status, body = await app.call("GET", "/offers", READER, page="3")  # past the end
        assert (status, body["items"]) == (200, [])
        status, body = await app.call("GET", "/me", READER)
        assert [code for code, _ in body["vocab"]["kind"]][:2] == ["call", "webinar"]
        assert body["strings"]["tab_offers"] == tr(KK, "📣 Calls and offers")


async def test_the_offers_tab_in_the_browser_opens_a_post_in_the_bot(
    devtools: str, settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    ids = await posts(sessions, await network(sessions))
    async with (
        mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app,
        connected(devtools) as browser,
        opened(browser, app, READER, KK, LIGHT, "light") as page,
    ):
        assert await page.inner_text("#t-offers") == tr(KK, "📣 Calls and offers")
        await page.click("#t-offers")
        await page.wait_for_selector("#list .of")
        titles = await page.eval_on_selector_all(
            "#list .of h3", "els => els.map(e => e.textContent)"
        )
        assert titles == [
            "Digital <tools> for villages",
            "Стажировка в Казани",
            "Фандрайзинг вебинары",
            "Біздің серіктес іздеуіміз",
        ]
        assert await page.is_visible("#ofilters") and await page.is_hidden("#tools")
        own = page.locator("#list .of").nth(3)
        assert await own.locator("button").count() == 0  # one's own: not answerable here
        assert tr(KK, "This is your organisation's post: others answer it.") in (
            await own.inner_text()
        )
        await page.select_option("#o-kind", "internship")
        await page.wait_for_function(
            "() => [...document.querySelectorAll('#list .of h3')].map(e => e.textContent)"
            ".join('|') === 'Стажировка в Казани'"
        )
        await page.click("#list .of button")
        links = await page.evaluate("window.__tg.links")
        assert links == [f"{BOT}event_{ids.ru_internship}"]
