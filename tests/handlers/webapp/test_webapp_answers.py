"""Answering a call or an internship from the Mini App (issue 21): POST /api/offers/answer,
signed initData on every request, the chat's service behind it (its refusals and its daily
limit, in the caller's language), the host's members getting the message and the contact
request in the chat as when answered there; and the tab's form in headless Chromium."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from sqlalchemy import select

from bot.config import Settings
from db.engine import Sessions, reading
from db.models import PostAnswer
from tests.browser_helpers import LIGHT
from tests.directory_helpers import FrozenClock
from tests.event_helpers import NOW, texts_of
from tests.fake_telegram import FakeTelegram
from tests.handlers.find.find_helpers import (
    AM_ORG,
    HOST_AM,
    HOST_RU,
    READER,
    READER_ORG,
    network,
    posts,
)
from tests.handlers.posts.answer_helpers import answered
from tests.handlers.webapp.test_webapp_browser import connected, opened
from tests.i18n_helpers import quoted, tr, trn
from tests.webapp_helpers import mini_app

pytestmark = pytest.mark.databases("sqlite", "postgresql")
KK, HY = "kk", "hy"
MESSAGE = "Біз ауылдарда цифрлық сауаттылық <курстарын> өткіземіз"
REQUEST = "📨 <b>{name}</b> would like to get in touch with your organisation."
APPLIES = "This internship takes applications: press “📝 Apply” to send yours."


def _limit(zone: str, frees: datetime) -> str:
    moment = frees.astimezone(ZoneInfo(zone))
    shown = "{}, {}".format(
        format_date(moment, format="long", locale=KK), format_time(moment, "HH:mm", locale=KK)
    )
    return trn(
        KK,
        "Your organisation has already answered {n} post in the last 24 hours, the daily "
        "maximum. It can answer again from {moment} ({zone}).",
        "Your organisation has already answered {n} posts in the last 24 hours, the daily "
        "maximum. It can answer again from {moment} ({zone}).",
        10,
        moment=shown,
        zone=zone,
    )


async def test_a_kazakh_member_answers_a_call_from_the_mini_app_and_the_host_gets_it_in_the_chat(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    ids = await posts(sessions, await network(sessions))
    answer = {"kind": "call", "id": ids.am_call, "message": f"  {MESSAGE}\n"}
    async with mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app:
        status, body = await app.call("GET", "/offers", READER)
        items = {(i["post"], i["id"]): i for i in body["items"]}
        assert items["call", ids.am_call]["answerable"] is True
        assert items["call", ids.am_call]["action"] == tr(KK, "🙋 We're interested")
        assert items["event", ids.ru_internship]["action"] == tr(KK, "📝 Apply")
        assert items["event", ids.kg_webinar]["answerable"] is False  # a webinar: the bot
        assert items["call", ids.own_call]["answerable"] is False
        assert "limit" not in body  # answers left today
        # In Events, the internship is applied to in the bot: no "I'll attend".
        status, body = await app.call("GET", "/events", READER)
        events = {item["id"]: item for item in body["items"]}
        assert events[ids.ru_internship]["applies"] is True
        link = f"https://t.me/ngo_bridge_test_bot?start=event_{ids.ru_internship}"
        assert events[ids.ru_internship]["link"] == link
        assert events[ids.kg_webinar]["applies"] is False
        status, body = await app.call("POST", f"/events/{ids.ru_internship}/attend", READER)
        assert (status, body) == (200, {"ok": False, "message": tr(KK, APPLIES)})
        forged = app.init_data(READER).replace("hash=", "hash=0")
        assert await app.call("POST", "/offers/answer", init_data=forged, body=answer) == (
            401,
            {"error": "unauthorized"},
        )
        assert await app.call("POST", "/offers/answer", body=answer) == (
            401,
            {"error": "unauthorized"},
        )
        status, body = await app.call("POST", "/offers/answer", READER, body=answer)
        assert (status, body["sent"]) == (200, True)
        assert body["message"] == tr(
            KK,
            "📨 Your request has been sent to {name}. We will tell you when they answer.",
            name=quoted(KK, AM_ORG),
        )
        host = await fake_telegram.wait_for(lambda: len(texts_of(fake_telegram, HOST_AM)) >= 2)
        assert host
        got = texts_of(fake_telegram, HOST_AM)
        heard = tr(HY, "🙋 {name} is interested in your partner call {title}:", name="@", title="%")
        heard = heard.replace("@", quoted(HY, READER_ORG))  # tr drops the title's "<tools>"
        assert got[0] == heard.replace("%", "«Digital <tools> for villages»") + f"\n\n{MESSAGE}"
        assert tr(HY, REQUEST, name=READER_ORG) in got[1]
        apply = {"kind": "internship", "id": ids.ru_internship, "message": "Бізге қызық"}
        status, body = await app.call("POST", "/offers/answer", READER, body=apply)
        assert (status, body["sent"]) == (200, True)
        await fake_telegram.wait_for(lambda: len(texts_of(fake_telegram, HOST_RU)) >= 2)
        applied = tr(
            "ru", "📝 {name} applies to your internship {title}:", name="@", title="«%»"
        ).replace("@", quoted("ru", READER_ORG))
        assert texts_of(fake_telegram, HOST_RU)[0] == applied.replace(
            "%", "Стажировка в Казани"
        ) + ("\n\nБізге қызық")
    async with reading(sessions) as session:
        rows = (await session.scalars(select(PostAnswer).order_by(PostAnswer.id))).all()
        assert [(r.kind, r.post_id, r.message) for r in rows] == [
            ("call", ids.am_call, MESSAGE),
            ("internship", ids.ru_internship, "Бізге қызық"),
        ]
        assert all(r.request_id is not None and r.state == "pending" for r in rows)


async def test_refusals_and_bad_answers_are_said_in_the_callers_language(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    orgs = await network(sessions)
    ids = await posts(sessions, orgs)
    async with mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app:

        async def post(**body: object) -> tuple[int, dict[str, str]]:
            return await app.call("POST", "/offers/answer", READER, body=body)

        status, body = await post(kind="call", id=ids.own_call, message="Hello")
        assert (status, body["reason"]) == (409, "own_call")
        assert body["message"] == tr(KK, "This is your own organisation's partner call.")
        status, body = await post(kind="call", id=ids.closed_call, message="Hello")
        assert (status, body["message"]) == (
            409,
            tr(KK, "This post is closed: it takes no more answers."),
        )
        status, body = await post(kind="call", id=ids.am_call, message="ы" * 1001)
        assert (status, body["error"]) == (400, "bad_request")
        assert body["message"] == tr(
            KK,
            "Please write a message of at most {limit} characters (you sent {length}).",
            limit=format_decimal(1000, locale=KK),
            length=format_decimal(1001, locale=KK),
        )
        status, body = await post(kind="call", id=ids.am_call, message=" \n ")
        assert (status, body["message"]) == (
            400,
            tr(KK, "Please write a few words: the message cannot be empty."),
        )
        cannot = tr(KK, "This post cannot be answered from here. Please open the list again.")
        for bad in (
            {"kind": "webinar", "id": ids.kg_webinar, "message": "Hi"},
            {"kind": "call", "id": "7", "message": "Hi"},
            {"kind": "call", "id": 1.5, "message": "Hi"},
            {"kind": "call", "id": True, "message": "Hi"},
            {"kind": "call", "id": ids.am_call, "message": 7},
        ):
            status, body = await post(**bad)
            assert (status, body["error"], body["message"]) == (400, "bad_request", cannot), bad
        # Ten answers in the last day: the eleventh is refused until the first is a day old.
        for n in range(10):
            created = NOW - timedelta(hours=23 if n == 0 else 1)
            await answered(
                sessions, "internship", ids.ru_internship, orgs["ru"], orgs["reader"], READER,
                created, status="declined",
            )  # fmt: skip
        status, body = await post(kind="call", id=ids.am_call, message="Hello")
        assert (status, body["reason"]) == (429, "limit")
        assert body["message"] == _limit("Asia/Almaty", NOW + timedelta(hours=1))  # KZ's zone
        # The list foresees it: the same refusal, and when it frees, before any Send.
        status, body = await app.call("GET", "/offers", READER)
        assert status == 200 and any(item["answerable"] for item in body["items"])
        assert body["limit"] == {
            "message": _limit("Asia/Almaty", NOW + timedelta(hours=1)),
            "frees_at": (NOW + timedelta(hours=1)).isoformat(),
        }
    async with mini_app(
        settings, sessions, fake_telegram, FrozenClock(NOW + timedelta(hours=1))
    ) as app:
        status, body = await app.call("GET", "/offers", READER)  # the oldest is a day old
        assert status == 200 and "limit" not in body
    assert texts_of(fake_telegram, HOST_AM) == []
    async with reading(sessions) as session:
        assert len((await session.scalars(select(PostAnswer))).all()) == 10


async def test_the_offers_tab_answers_a_call_in_the_browser(
    devtools: str, settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    orgs = await network(sessions)
    ids = await posts(sessions, orgs)
    async with (
        mini_app(settings, sessions, fake_telegram, FrozenClock(NOW)) as app,
        connected(devtools) as browser,
        opened(browser, app, READER, KK, LIGHT, "light") as page,
    ):
        await page.click("#t-offers")
        item = page.locator(f'#list .of[data-id="call_{ids.am_call}"]')
        await item.wait_for()
        assert await page.locator('#list .of[data-id^="event_"] button.answer').count() == 1
        await item.locator("button.answer").click()
        assert await item.locator("button.answer").inner_text() == tr(KK, "🙋 We're interested")
        assert await item.locator("textarea").get_attribute("placeholder") == tr(
            KK, "A few words to the host: who you are and why"
        )
        await item.locator("textarea").fill("Бізде тәжірибе бар")
        assert await item.locator(".count").inner_text() == "18/1000"
        await item.locator("button.send").click()
        sent = tr(KK, "✅ Sent: the host will answer in the bot.")
        await item.locator(".said").filter(has_text=sent).wait_for()
        assert await item.locator("textarea").count() == 0
        assert await item.locator("button.answer").count() == 0
        await fake_telegram.wait_for(lambda: len(texts_of(fake_telegram, HOST_AM)) >= 2)
        assert "Бізде тәжірибе бар" in texts_of(fake_telegram, HOST_AM)[0]
        # Cancel folds the form away; a refusal (the day's tenth answer was that one) is
        # said on the item, in Kazakh, and the button stays.
        other = page.locator(f'#list .of[data-id="event_{ids.ru_internship}"]')
        await other.locator("button.answer").click()
        await other.locator("button.cancel").click()
        assert await other.locator("textarea").count() == 0
        for _ in range(9):
            await answered(
                sessions, "call", ids.closed_call, orgs["am"], orgs["reader"], READER,
                NOW - timedelta(hours=1), status="declined",  # not the open call: shut by it
            )  # fmt: skip
        await other.locator("button.answer").click()
        await other.locator("textarea").fill("Тағы бір")
        await other.locator("button.send").click()
        await other.locator(".said.no").wait_for()
        assert await other.locator(".said").inner_text() == _limit(
            "Asia/Almaty", NOW + timedelta(hours=23)
        )
        assert await other.locator("button.answer").count() == 1
        # Opened again, the tab foresees the limit: the refusal in place of the buttons.
        await page.click("#t-events")  # the internship there: 📝 Apply in the bot, no RSVP
        internship = page.locator(f'#list .ev[data-id="{ids.ru_internship}"]')
        await internship.wait_for()
        assert await internship.locator("button").all_inner_texts() == [tr(KK, "📝 Apply")]
        await page.click("#t-offers")
        limited = page.locator(f'#list .of[data-id="event_{ids.ru_internship}"] .said.limit')
        await limited.wait_for()
        assert await limited.inner_text() == _limit("Asia/Almaty", NOW + timedelta(hours=23))
        assert await page.locator("#list .of button.answer").count() == 0
        assert await page.locator("#list .of .said.limit").count() == 2  # the call, the internship
