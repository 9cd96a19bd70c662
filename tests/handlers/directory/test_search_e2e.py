"""Partner search through the real bot: filters, words in every script, paging, bad input."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.taxonomy import COUNTRIES, FOCUS_AREAS, FORMATS, TOPICS
from db.engine import Sessions
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org, search_words, set_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import label, plain, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

ME = 100


async def _directory(sessions: Sessions) -> dict[str, int]:
    orgs = {
        "me": await make_org(sessions, ME, name="Searcher", want_learn=["impact"]),
        "almaty": await make_org(sessions, 101, name="Қамқорлық қоры", city="Алматы",
                                 can_share=["impact"], formats=["mentoring"]),
        "yerevan": await make_org(sessions, 102, name="Հույսի կամուրջ", country="AM",
                                  city="Երևան", can_share=["impact", "legal"],
                                  description="Աշխատում ենք երեխաների հետ"),
        "bishkek": await make_org(sessions, 103, name="Жаштар үнү", country="KG",
                                  city="Бишкек", can_share=["digital"],
                                  description="Өспүрүмдөр үчүн (NEAR) долбоорлор"),
        "moscow": await make_org(sessions, 104, name="Fundraising Lab", country="RU",
                                 city="Moscow", can_share=["fundraising", "impact"],
                                 formats=["mentoring", "webinars"], focus_areas=["ecology"],
                                 description="Помогаем НКО находить ресурсы"),
        "hidden": await make_org(sessions, 105, name="Hidden Impact", country="RU",
                                 can_share=["impact"], consent=False),
    }  # fmt: skip
    return orgs


def _found(chat: Conversation) -> int:
    """How many organisations the results page lists (its numbered buttons)."""
    return sum(1 for text in chat.last_buttons() if text.isdigit())


async def test_filters_combine_and_nothing_found_suggests_what_to_relax(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await _directory(sessions)
    chat = Conversation(fake_telegram, TgUser(ME, "Me", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await chat.send("/menu")
        await chat.click(tr("en", "🔎 Find partners"))
        assert tr("en", "🔎 <b>Find partners</b>").replace("<b>", "").replace("</b>", "") in (
            chat.last_text()
        )
        # One filter: they can teach impact measurement (the hidden one is not listed).
        await chat.click(tr("en", "They can teach") + ":")
        await chat.click(label("en", TOPICS, "impact"))
        await chat.click(tr("en", "🔎 Show results"))
        text = chat.last_text()
        assert _found(chat) == 3
        for name in ("Қамқорлық қоры", "Հույսի կամուրջ", "Fundraising Lab"):
            assert name in text
        assert "Hidden Impact" not in text and "Жаштар үнү" not in text
        assert "Searcher" not in text  # never ourselves

        # Three filters: + country + format.
        await chat.click(tr("en", "⚙️ Filters"))
        await chat.click(tr("en", "Country") + ":")
        await chat.click(label("en", COUNTRIES, "RU"))
        await chat.click(tr("en", "Format") + ":")
        await chat.click(label("en", FORMATS, "mentoring"))
        await chat.click(tr("en", "🔎 Show results"))
        assert "Fundraising Lab" in chat.last_text()
        assert _found(chat) == 1
        # Armenia + mentoring: nothing; the buttons say which filter to drop.
        await chat.click(tr("en", "⚙️ Filters"))
        await chat.click(tr("en", "Country") + ":")
        await chat.click(label("en", COUNTRIES, "AM"))
        await chat.click(tr("en", "🔎 Show results"))
        assert "Nothing found with these filters" in chat.last_text()
        relax = tr("en", "Remove {filter}", filter="“" + tr("en", "Format") + "”")
        # Without the country there would be matches too; without the topic there would not.
        assert chat.last_buttons()[:2] == [
            tr("en", "Remove {filter}", filter="“" + tr("en", "Country") + "”"),
            relax,
        ]
        await chat.click(relax)
        assert "Հույսի կամուրջ" in chat.last_text()
        # Focus area alone.
        await chat.click(tr("en", "⚙️ Filters"))
        await chat.click(tr("en", "🧹 Clear filters"))
        await chat.click(tr("en", "Focus area") + ":")
        await chat.click(label("en", FOCUS_AREAS, "ecology"))
        await chat.click(tr("en", "🔎 Show results"))
        assert _found(chat) == 1 and "Fundraising Lab" in chat.last_text()
        # Verified only: nobody is verified yet.
        await chat.click(tr("en", "⚙️ Filters"))
        await chat.click(tr("en", "🧹 Clear filters"))
        await chat.click(tr("en", "Verified only"))
        await chat.click(tr("en", "🔎 Show results"))
        assert "Nothing found" in chat.last_text()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("қамқор", "Қамқорлық қоры"),  # Kazakh letters, lower case finds the capital
        ("ҚАМҚОРЛЫҚ", "Қамқорлық қоры"),
        ("երեխա", "Հույսի կամուրջ"),  # Armenian, a word prefix from the description
        ("ԵՐԵՎԱՆ", "Հույսի կամուրջ"),  # the city, upper case Armenian
        ("өспүрүм", "Жаштар үнү"),  # Kyrgyz ө ү
        ("fund lab", "Fundraising Lab"),  # two prefixes, both must match
        ("ПОМОГА", "Fundraising Lab"),  # Russian, upper case, a prefix from the description
        ("Моs", "Fundraising Lab"),  # mixed scripts in one word finds nothing but...
    ],
)
async def test_free_text_in_every_script(
    words: str,
    expected: str,
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
) -> None:
    await _directory(sessions)
    chat = Conversation(fake_telegram, TgUser(ME, "Me", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await search_words(chat, "en", words)
        if words == "Моs":  # Cyrillic М + Latin os: no such word
            assert "Nothing found" in chat.last_text()
            return
        assert expected in chat.last_text()
        assert _found(chat) == 1


async def test_bad_words_get_a_clear_reply_and_syntax_is_just_text(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await _directory(sessions)
    chat = Conversation(fake_telegram, TgUser(ME, "Me", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await search_words(chat, "en", "a")
        assert "at least 2" in chat.last_text()
        await chat.send("x" * 1000)
        assert "at most 100 characters, and you sent 1,000" in chat.last_text()
        await chat.send_sticker()
        assert "as text" in chat.last_text()
        await chat.send("🙂🙂")  # no letters or digits at all
        assert "at least 2" in chat.last_text()
        for query in ['"NEAR" * - ( ) (долб*) :', "'; DROP TABLE organisations; --"]:
            await chat.send(query)
            assert "Sorry" not in chat.last_text()
            if query.startswith('"'):  # NEAR is a word of a description, shown literally
                assert "Жаштар үнү" in chat.last_text()
            else:
                assert "Nothing found" in chat.last_text()
            await chat.click(tr("en", "⚙️ Filters"))
            await chat.click(tr("en", "Words") + ":")
        await chat.send("/menu")  # a command leaves the words prompt
        assert tr("en", "🏠 Main menu. What would you like to do?") in chat.last_text()
        await chat.click(tr("en", "🔎 Find partners"))
        await chat.click(tr("en", "Words") + ":")
        await chat.send("/cancel")
        assert tr("en", "Cancelled.") in chat.texts()
        await chat.send("ordinary words")  # no longer taken as a search
        assert "I did not understand" in chat.texts()[-2]


async def test_paging_and_a_stale_page_after_the_directory_shrank(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ME, name="Searcher")
    ids = [await make_org(sessions, 200 + i, name=f"Partner {i:02d}") for i in range(12)]
    chat = Conversation(fake_telegram, TgUser(ME, "Me", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await chat.send("/menu")
        await chat.click(tr("en", "🔎 Find partners"))
        await chat.click(tr("en", "🔎 Show results"))
        assert tr("en", "Page {page}", page="1") in chat.last_text()
        assert chat.last_buttons()[:5] == ["1", "2", "3", "4", "5"]
        await chat.click(tr("en", "Next »"))
        await chat.click(tr("en", "Next »"))
        assert tr("en", "Page {page}", page="3") in chat.last_text()
        assert chat.last_buttons()[:2] == ["11", "12"]
        assert tr("en", "Next »") not in chat.last_buttons()
        # Open a card and come back to the same page.
        await chat.click("12")
        assert "Partner 00" in chat.last_text()
        assert "org@example.org" not in chat.last_text()  # contacts are never on a card
        await chat.click(tr("en", "« Back to the list"))
        assert tr("en", "Page {page}", page="3") in chat.last_text()
        # Seven organisations leave the directory: page 3 no longer exists.
        for org_id in ids[:7]:
            await set_org(sessions, org_id, listed=False)
        await chat.click(tr("en", "« Previous"))  # page 2: exists (5 left = 1 page)
        text = plain(chat.last_text())
        assert "The list has changed" in text
        assert tr("en", "Page {page}", page="1") in text
