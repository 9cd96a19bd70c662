"""What the meetings' tests share: an Armenian and a Kazakh organisation (two members) that
were introduced through the bot, and the wizard's presses as a user makes them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date
from sqlalchemy import select

from bot import users
from bot.handlers.contacts import introductions
from db.engine import Sessions, reading, writing
from db.models import ContactRequest, Membership
from tests.conversation import Conversation
from tests.directory_helpers import make_org
from tests.i18n_helpers import tr, trn

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # a Friday: 13:00 in Yerevan
ARMEN, KAIRAT, DANA, THIRD = 700, 710, 711, 720
YEREVAN, ALMATY = "Asia/Yerevan", "Asia/Almaty"


async def two_organisations(sessions: Sessions) -> tuple[int, int]:
    """An Armenian organisation (Armen, in Armenian) and a Kazakh one (Kairat, in Kazakh,
    and Dana, in Russian); returns their ids."""
    am = await make_org(sessions, ARMEN, language="hy", first_name="Armen", name="Hayk Fund",
                        country="AM", city="Yerevan", languages=["hy", "ru"])  # fmt: skip
    kz = await make_org(sessions, KAIRAT, language="kk", first_name="Kairat", name="Dala",
                        country="KZ", languages=["kk", "ru"])  # fmt: skip
    await users.touch_user(sessions, DANA, "Dana", None, is_admin=False)
    await users.set_language(sessions, DANA, "ru")
    async with writing(sessions) as session:
        session.add(Membership(user_id=DANA, organisation_id=kz, role="member"))
    return am, kz


async def introduced(sessions: Sessions, kz: int) -> int:
    """Armen's organisation asked the Kazakh one, and Kairat accepted; the request's id."""
    intro = await introductions.request_contact(sessions, ARMEN, kz, NOW)
    await introductions.decide(sessions, KAIRAT, intro.request_id, accept=True, now=NOW)
    async with reading(sessions) as session:
        found = await session.scalar(select(ContactRequest.id))
    assert found is not None
    return int(found)


def day_button(language: str, day: date) -> str:
    """A day as the wizard's button shows it."""
    return format_date(day, "EEE d MMM", locale=language)


def minutes(language: str, n: int) -> str:
    """A length button."""
    return trn(language, "{n} minute", "{n} minutes", n)


async def add_time(chat: Conversation, language: str, day: date, at: str, length: int) -> None:
    """Day, time (pressed), length."""
    await chat.click(day_button(language, day))
    await chat.click(at)
    await chat.click(minutes(language, length))


async def propose_one(chat: Conversation, language: str, day: date, at: str) -> None:
    """From the wizard's first step: one time of 30 minutes, sent."""
    await add_time(chat, language, day, at, 30)
    await chat.click(tr(language, "📨 Send the proposal"))


async def arrange(chat: Conversation, language: str) -> None:
    """From the menu: 📨 Contact requests, then the introduction's "📅 Arrange a call"."""
    partner = "Dala" if language == "hy" else "Hayk Fund"
    await chat.send("/menu")
    await chat.click(tr(language, "📨 Contact requests"))
    await chat.click(tr(language, "📅 Arrange a call: {name}", name=partner))
