"""The Mini App's API with initData signed as Telegram signs it: who may call, every filter,
paging, suggestions, and that nothing hidden or private ever comes out (what the Mini App
does in the chat is test_webapp_chat_e2e)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.config import Settings
from bot.handlers.directory import search
from bot.handlers.directory import texts as directory_texts
from bot.handlers.directory.search import TextProblem
from bot.i18n import create_i18n
from db.engine import Sessions, writing
from db.models import User
from tests.directory_helpers import FrozenClock, make_org, set_org
from tests.fake_telegram import FakeTelegram
from tests.i18n_helpers import plain, tr
from tests.webapp_helpers import mini_app, sign

pytestmark = pytest.mark.databases("sqlite", "postgresql")


NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
BANNED = (
    "Your organisation's profile has been blocked by the administrators, so this is not "
    "available. Please write to the administrators if you think this is a mistake."
)
ME, OTHER, ARMENIAN = 700, 701, 713
GONE = "This organisation is not in the directory, or it has chosen not to be shown to you."


async def _app(settings: Settings, sessions: Sessions, fake: FakeTelegram) -> Any:
    return mini_app(settings, sessions, fake, FrozenClock(NOW))


async def test_only_fresh_initdata_signed_for_this_bot_by_a_known_user_gets_in(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, language="kk", country="KZ")
    banned = await make_org(sessions, 702, country="KZ")
    await set_org(sessions, banned, status="banned")
    await make_org(sessions, 703, country="KZ")
    async with writing(sessions) as session:
        user = await session.get(User, 703)
        assert user is not None
        user.is_active = False
    token = settings.bot_token.get_secret_value()
    async with await _app(settings, sessions, fake_telegram) as app:
        status, body = await app.call("GET", "/me", ME)
        assert status == 200 and body["language"] == "kk"
        assert body["strings"]["tab_directory"] == tr("kk", "🗂 Directory")
        good = app.init_data(ME)
        forged = good[:-1] + ("0" if good[-1] != "0" else "1")  # the hash's last digit
        other_bot = sign("777:" + "X" * 35, ME, NOW)
        expired = sign(token, ME, NOW - timedelta(hours=24, seconds=1))
        still_fresh = sign(token, ME, NOW - timedelta(hours=23, minutes=59))
        changed = good.replace("language_code%22%3A%22en", "language_code%22%3A%22ru")
        another_user = good.replace(f"%22id%22%3A{ME}", "%22id%22%3A701")
        for bad in (forged, other_bot, expired, changed, another_user, "", "hash=abc", "x" * 5000):
            status, body = await app.call("GET", "/me", init_data=bad)
            assert (status, body) == (401, {"error": "unauthorized"}), bad[:60]
        status, body = await app.call("GET", "/search")  # no header at all
        assert (status, body) == (401, {"error": "unauthorized"})
        async with app.http.get(
            f"{app.base}/api/me", headers={"Authorization": f"Bearer {good}"}
        ) as response:
            assert response.status == 401
        assert (await app.call("GET", "/me", init_data=still_fresh))[0] == 200
        banned_text = plain(tr("en", BANNED))
        assert await app.call("GET", "/search", 702) == (
            403,
            {"error": "banned", "message": banned_text},
        )
        assert await app.call("GET", "/search", 703) == (
            403,
            {
                "error": "inactive",
                "message": tr("en", "Please open the chat with the bot and send /start first."),
            },
        )
        status, body = await app.call("POST", "/cards/1/request", 702)
        assert status == 403 and body["error"] == "banned"


async def test_a_stranger_is_refused_in_their_telegram_language(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """Someone who never started the bot reads why in the language their Telegram client
    reports, mapped as the chat's language picker pre-selects it; else the default."""
    stranger = 704
    start_first = "Please open the chat with the bot and send /start first."
    async with await _app(settings, sessions, fake_telegram) as app:
        for code, language in (
            ("kk", "kk"),
            ("hy-AM", "hy"),
            ("KY", "ky"),
            ("en-GB", "en"),
            ("pt-br", settings.default_language),
            ("", settings.default_language),
        ):
            signed = app.init_data(stranger, language_code=code)
            status, body = await app.call("GET", "/search", init_data=signed)
            assert (status, body) == (
                403,
                {"error": "unknown", "message": tr(language, start_first)},
            ), code
    assert settings.default_language == "ru"  # the fallback is not also a guess's answer


def _said(language: str, render: Callable[..., str], *args: Any) -> str:
    """What a chat text says in `language`, as the page's plain text."""
    i18n = create_i18n("en")
    with i18n.context(), i18n.use_locale(language):
        return plain(render(*args))


def _ids(body: dict[str, Any]) -> list[int]:
    return [item["id"] for item in body["items"]]


async def test_every_filter_and_words_in_any_script_narrow_the_list_with_its_count(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, country="KZ")
    kk = await make_org(
        sessions,
        710,
        name="Үміт қоры",
        city="Алматы",
        country="KZ",
        can_share=["fundraising"],
        focus_areas=["children"],
        formats=["webinars"],
    )
    hy = await make_org(
        sessions,
        711,
        name="Հույս հիմնադրամ",
        city="Երևան",
        country="AM",
        can_share=["impact"],
        focus_areas=["ecology"],
        formats=["internships"],
    )
    ky = await make_org(
        sessions,
        712,
        name="Өнүгүү борбору",
        city="Бишкек",
        country="KG",
        can_share=["legal"],
        focus_areas=["health"],
        formats=["mentoring"],
    )
    await set_org(sessions, ky, verified_until=NOW + timedelta(days=200), verified_at=NOW)
    await make_org_less_user(sessions, ARMENIAN, "hy")
    async with await _app(settings, sessions, fake_telegram) as app:

        async def found(**params: str) -> list[int]:
            status, body = await app.call("GET", "/search", ME, **params)
            assert status == 200, body
            assert body["count"] == len(body["items"])
            return _ids(body)

        assert await found() == [ky, hy, kk]  # valid badge first, then the newest, as the bot
        status, body = await app.call("GET", "/search", ME)
        assert body["count_text"] == "3 organisations found"
        assert (body["count"], body["show_text"]) == (3, "Show 3 organisations")  # MainButton
        assert await found(q="үмі") == [kk]
        assert await found(q="ҮМІТ Алма") == [kk]
        assert await found(q="Հույս") == [hy]
        assert await found(q="երև") == [hy]
        assert await found(q="бишкек") == [ky]
        assert await found(q="zzz") == []
        assert await found(topic="impact") == [hy]
        assert await found(focus="children") == [kk]
        assert await found(country="KG") == [ky]
        assert await found(format="internships") == [hy]
        assert await found(verified="1") == [ky]
        assert await found(verified="0") == [ky, hy, kk]
        assert await found(topic="fundraising", country="AM") == []
        status, body = await app.call("GET", "/search", ME, topic="fundraising", country="AM")
        assert body["notice"] == "Nothing found. Try fewer filters or other words."
        assert body["count_text"] == "0 organisations found"
        # Malformed queries: 400 with a message, never a 500.
        # Malformed queries: 400 with the developer's detail, never a 500. A message for
        # the user only where they can mend it (their words), in their language.
        for params, detail in (
            ({"topic": "astrology"}, "unknown topic: astrology"),
            ({"country": "XX"}, "unknown country: XX"),
            ({"verified": "yes"}, "verified must be 0 or 1"),
            ({"page": "-1"}, "page must be a whole number from 0 to 500"),
            ({"page": "1e3"}, "page must be a whole number from 0 to 500"),
            ({"page": "99999999999"}, "page must be a whole number from 0 to 500"),
        ):
            status, body = await app.call("GET", "/search", ME, **params)
            assert (status, body) == (400, {"error": "bad_request", "detail": detail}), params
        for path in ("/cards/abc", "/cards/99999999999", "/cards/-1"):
            status, body = await app.call("GET", path, ME)
            assert (status, set(body)) == (400, {"error", "detail"}), path
        assert (await app.call("POST", "/events/x/attend", ME))[0] == 400
        assert (await app.call("GET", "/cards/abc"))[0] == 401  # who asks comes first
        for words, problem in (("a", TextProblem.TOO_SHORT), ("ab " * 40, TextProblem.TOO_LONG)):
            status, body = await app.call("GET", "/search", ME, q=words)
            assert status == 400 and body["detail"] == f"q: {problem.value}"
            assert body["message"] == _said("en", directory_texts.text_problem, problem, len(words))
        status, body = await app.call("GET", "/search", ARMENIAN, q="a")
        assert body["message"] == _said(
            "hy", directory_texts.text_problem, TextProblem.TOO_SHORT, 1
        )


async def test_pages_follow_each_other_without_gaps_and_the_count_stops_at_its_cap(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, country="KZ")
    made = [await make_org(sessions, 800 + i, name=f"Fund {i}", country="KG") for i in range(45)]
    async with await _app(settings, sessions, fake_telegram) as app:
        seen: list[int] = []
        for page in range(3):
            status, body = await app.call("GET", "/search", ME, page=str(page))
            assert status == 200 and body["page"] == page
            assert body["has_next"] is (page < 2)
            seen += _ids(body)
            assert ("count" in body) is (page == 0)
        assert seen == sorted(made, reverse=True)
        status, body = await app.call("GET", "/search", ME)
        assert body["count"] == 45 and len(body["items"]) == 20
        assert (await app.call("GET", "/search", ME, page="9"))[1]["items"] == []
    assert await search.count(sessions, None, search.Filters(), NOW, cap=10) == 11


async def test_suggestions_come_in_the_bots_order_and_ask_for_a_profile_first(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(
        sessions, ME, country="KZ", want_learn=["fundraising", "impact"], can_share=["legal"]
    )
    for i, (share, learn) in enumerate(
        [
            (["fundraising", "impact"], ["legal"]),
            (["impact"], []),
            (["core"], ["legal"]),
            (["fundraising"], []),
            (["digital"], ["digital"]),
        ]
    ):
        await make_org(sessions, 720 + i, country="AM", can_share=share, want_learn=learn)
    async with await _app(settings, sessions, fake_telegram) as app:
        status, body = await app.call("GET", "/suggestions", ME)
        assert status == 200
        mine = await search.me(sessions, ME, NOW)
        assert mine is not None
        bot_pages: list[int] = []
        number, more = 0, True
        while more:  # the chat's pages of five, one after another
            page = await search.suggest(sessions, mine, number, NOW)
            bot_pages += [card.id for card in page.cards]
            number, more = number + 1, page.has_next
        assert _ids(body) == bot_pages and len(bot_pages) == 4
        await make_org_less_user(sessions, 730)  # no language chosen: Telegram's, as the chat
        kyrgyz = app.init_data(730, language_code="ky")
        status, body = await app.call("GET", "/suggestions", init_data=kyrgyz)
        assert body["items"] == [] and body["notice"] == plain(
            tr(
                "ky",
                "⭐ Suggestions are made from your organisation's profile. Please fill "
                "in the questionnaire first.",
            )
        )


async def make_org_less_user(sessions: Sessions, user_id: int, language: str | None = None) -> None:
    from bot import users

    await users.touch_user(sessions, user_id, "Newcomer", None, is_admin=False)
    if language is not None:
        await users.set_language(sessions, user_id, language)


async def test_hidden_organisations_and_contacts_never_come_out(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, country="KZ")
    shown = await make_org(
        sessions,
        740,
        name="Open Fund",
        country="AM",
        website="https://secret-site.am",
        contact="+374 99 000000",
    )
    unlisted = await make_org(sessions, 741, name="Unlisted Fund", country="KZ")
    await set_org(sessions, unlisted, listed=False)
    own_country = await make_org(sessions, 742, name="Armenia Only", country="AM")
    await set_org(sessions, own_country, audience="country")
    verified_only = await make_org(sessions, 743, name="Verified Eyes", country="AM")
    await set_org(sessions, verified_only, audience="verified")
    hidden = await make_org(sessions, 744, name="Hidden Fund", country="KZ")
    await set_org(sessions, hidden, status="hidden")
    banned = await make_org(sessions, 745, name="Banned Fund", country="KZ")
    await set_org(sessions, banned, status="banned")
    invisible = {unlisted, own_country, verified_only, hidden, banned}
    names = ("Unlisted", "Armenia Only", "Verified Eyes", "Hidden", "Banned")
    async with await _app(settings, sessions, fake_telegram) as app:
        everything: list[str] = []
        for params in ({}, {"country": "AM"}, {"q": "fund"}, {"q": "armenia"}, {"q": "verif"}):
            status, body = await app.call("GET", "/search", ME, **params)
            assert not invisible & set(_ids(body))
            everything.append(json.dumps(body, ensure_ascii=False))
        status, body = await app.call("GET", "/suggestions", ME)
        everything.append(json.dumps(body, ensure_ascii=False))
        assert not invisible & set(_ids(body))
        status, card = await app.call("GET", f"/cards/{shown}", ME)
        assert status == 200 and card["name"] == "Open Fund" and card["own"] is False
        everything.append(json.dumps(card, ensure_ascii=False))
        gone = tr("en", GONE)
        for org in invisible | {99999}:
            status, body = await app.call("GET", f"/cards/{org}", ME)
            assert (status, body) == (404, {"error": "not_found", "message": gone})
            everything.append(json.dumps(body, ensure_ascii=False))
            status, body = await app.call("POST", f"/cards/{org}/request", ME)
            assert body["sent"] is False and body["reason"] == "not_found"
        dump = "\n".join(everything)
        for secret in ("secret-site", "+374", "org@example.org", "example.org", *names):
            assert secret not in dump, secret
        assert not {"website", "contact", "owner_id"} & set(card)
        # The same viewer's own country and badge open what was closed to them.
        await set_org(
            sessions, 1, country="AM", verified_until=NOW + timedelta(days=30), verified_at=NOW
        )
        status, body = await app.call("GET", "/search", ME)
        assert {own_country, verified_only} <= set(_ids(body))
        status, card = await app.call("GET", "/cards/1", ME)
        assert card["own"] is True


def test_the_main_buttons_words_count_in_each_language() -> None:
    from bot.handlers.webapp import texts
    from bot.i18n import create_i18n

    i18n = create_i18n("en")
    with i18n.context():
        with i18n.use_locale("ru"):
            shown = [texts.show(n, 500) for n in (1, 3, 5, 501)]
        assert shown == [
            "Показать 1 организацию",
            "Показать 3 организации",
            "Показать 5 организаций",
            "Показать более 500 организаций",
        ]
        with i18n.use_locale("hy"):
            assert texts.show(2, 500) == "Ցույց տալ 2 կազմակերպություն"
