""" "Already here?" at onboarding through the real bot: names written differently in
Russian, Kazakh and Armenian are found, a similar name or another country is not; the
owners accept or decline the request to join; a registration number on another
organisation's badge is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.handlers.team.callbacks import JoinAnswerPress
from bot.handlers.team.matching import name_key
from bot.taxonomy import COUNTRIES
from db.engine import Sessions, reading, writing
from db.models import JoinRequest, Membership, Organisation, Verification
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org, set_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import label, tr
from tests.onboarding_script import Organisation as OnboardingAnswers
from tests.onboarding_script import onboard_to_summary

pytestmark = pytest.mark.databases("sqlite", "postgresql")

OWNER, SECOND_OWNER, NEWCOMER = 710, 711, 712
ALREADY = (
    "{name}, {city} is already in NGO Bridge. Is it yours? If so, ask to join it: its "
    "owners will let you in, and you will not need to fill in the questionnaire."
)
CITY_QUESTION = "In which city or region do you work?"


async def _name_and_country(chat: Conversation, language: str, name: str, country: str) -> str:
    """A new user: language, the first two answers; the bot's reply to the country."""
    await chat.send("/start")
    await chat.click({"ru": "Русский", "kk": "Қазақша", "hy": "Հայերեն", "en": "English"}[language])
    await chat.send(name)
    await chat.click(label(language, COUNTRIES, country))
    return chat.last_text()


def test_names_are_compared_without_quotes_case_spaces_and_legal_forms() -> None:
    same = [
        ("«Үміт» қоғамдық қоры", "Үміт ҚҚ"),
        ('АНО "Надежда"', "Надежда"),
        ('"Հույս" ՀԿ', "Հույս"),
        ("ОФ „Ёлка”  добра", "елка Добра"),
        ("Общественное объединение 'Мост'", "мост"),
        ("Hope NGO", "“Hope” Foundation"),
    ]
    for one, other in same:
        assert name_key(one) == name_key(other) != "", (one, other)
    assert name_key("Надежда-2") != name_key("Надежда")
    assert name_key("Фонд") == ""  # a legal form alone matches nothing


@pytest.mark.parametrize(
    ("existing", "typed", "country", "language"),
    [
        ("«Үміт» қоғамдық қоры", "Үміт ҚҚ", "KZ", "kk"),
        ('АНО "Надежда"', "Надежда", "KZ", "ru"),
        ('"Հույս" ՀԿ', "Հույս", "AM", "hy"),
    ],
)
async def test_the_same_name_written_differently_is_offered_and_the_owners_accept(
    settings: Settings,
    sessions: Sessions,
    fake_telegram: FakeTelegram,
    existing: str,
    typed: str,
    country: str,
    language: str,
) -> None:
    org = await make_org(sessions, OWNER, language="ru", name=existing, country=country,
                         city="Center")  # fmt: skip
    await make_org(sessions, SECOND_OWNER, language="en", name="Other")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="ru"))
    newcomer = Conversation(
        fake_telegram, TgUser(NEWCOMER, "Newcomer", username="new_one", language_code=language)
    )
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        reply = await _name_and_country(newcomer, language, typed, country)
        assert tr(language, ALREADY, name=existing, city="Center") in reply
        await newcomer.click(tr(language, "🙋 Ask to join"))
        assert (
            tr(
                language,
                "🙋 We have asked the owners of {name} to let you in. You will get a message here "
                "when one of them answers. If they do not know you, send /start to register your "
                "own organisation.",
                name=existing,
            )
            in newcomer.last_text()
        )
        asked = tr(
            "ru",
            "🙋 {person} asks to join {name} as a member.",
            person="Newcomer (@new_one)",
            name=existing,
        ) + " " + tr(
            "ru",
            "They found your organisation while registering in NGO Bridge. Accept only if you "
            "know them.",
        )  # fmt: skip
        assert asked in owner.last_text()
        # The name holds its own quotes: it is not quoted again, in any language.
        for text in (reply, newcomer.last_text(), owner.last_text()):
            assert existing in text and f"«{existing}»" not in text
        await owner.click(tr("ru", "✅ Accept"))
        assert tr("ru", "✅ {name} is now a member of your team.", name="Newcomer") in (
            owner.last_text()
        )
        # Let in: the main menu's buttons come with the news, no /menu needed.
        let_in = newcomer.last_text()
        assert let_in.startswith(
            tr(language, "✅ The owners of {name} let you in: you are now a member.", name=existing)
        )
        assert tr(language, "🏠 Main menu. What would you like to do?") in let_in
        assert "/menu" not in let_in
        assert tr(language, "👤 My profile") in newcomer.last_buttons()
        assert tr(language, "📨 Contact requests") in newcomer.last_buttons()
    async with reading(sessions) as session:
        membership = await session.get(Membership, NEWCOMER)
        assert membership is not None and (membership.organisation_id, membership.role) == (
            org, "member",
        )  # fmt: skip


async def test_a_similar_name_or_another_country_is_not_offered(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, OWNER, name="Надежда", country="KZ")
    first = Conversation(fake_telegram, TgUser(NEWCOMER, "A", language_code="ru"))
    second = Conversation(fake_telegram, TgUser(NEWCOMER + 1, "B", language_code="ru"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        reply = await _name_and_country(first, "ru", "Надежда-2", "KZ")
        assert tr("ru", CITY_QUESTION) in reply and "NGO Bridge" not in reply
        reply = await _name_and_country(second, "ru", "АНО «Надежда»", "KG")
        assert tr("ru", CITY_QUESTION) in reply and "NGO Bridge" not in reply


async def test_no_ours_is_another_goes_on_and_a_declined_request_is_told(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="en", name="Hope", country="KZ")
    await make_org(sessions, SECOND_OWNER, language="en", name="Elsewhere")
    async with writing(sessions) as session:  # a second owner of Hope
        await session.execute(
            update(Membership).where(Membership.user_id == SECOND_OWNER).values(organisation_id=org)
        )
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    second = Conversation(fake_telegram, TgUser(SECOND_OWNER, "Second", language_code="en"))
    first = Conversation(fake_telegram, TgUser(NEWCOMER, "Stranger", language_code="en"))
    other = Conversation(fake_telegram, TgUser(NEWCOMER + 1, "Other", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await _name_and_country(other, "en", "Hope Foundation", "KZ")
        await other.click(tr("en", "No, ours is another one"))
        assert tr("en", CITY_QUESTION) in other.last_text()
        await _name_and_country(first, "en", "HOPE", "KZ")
        await first.click(tr("en", "🙋 Ask to join"))
        await owner.click(tr("en", "✖️ Decline"))
        assert tr("en", "You declined the request of {name}.", name="Stranger") in (
            owner.last_text()
        )
        assert (
            tr(
                "en",
                "The owners of {name} declined your request. To register your own organisation, "
                "send /start.",
                name="“Hope”",
            )
            in first.last_text()
        )
        # The other owner's copy says who answered, without buttons; a press on it from
        # before the edit is refused, saying who answered, and changes nothing.
        copy = second.messages()[-1]
        head = tr("en", "🙋 {person} asks to join {name} as a member.", person="Stranger",
                  name="“Hope”")  # fmt: skip
        assert copy["text"] == head + "\n\n" + tr("en", "✖️ Declined by {name}.", name="Owner")
        assert not copy.get("reply_markup")
        async with reading(sessions) as session:
            request_id = await session.scalar(select(JoinRequest.id))
        before = len(second.alerts)
        press = JoinAnswerPress(request=request_id or 0, accept=True).pack()
        fake_telegram.push_callback(second.user, copy["message_id"], press)
        await fake_telegram.wait_for(lambda: len(second.alerts) > before)
        assert second.alerts[-1] == tr(
            "en", "{name} has already answered this request.", name="Owner"
        )
    async with reading(sessions) as session:
        assert await session.get(Membership, NEWCOMER) is None


async def test_a_registration_number_on_another_badge_is_refused_with_its_name(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    holder = await make_org(sessions, OWNER, name="Badge Holder")
    await set_org(sessions, holder, verified_at=clock.now(),
                  verified_until=clock.now() + timedelta(days=300))  # fmt: skip
    async with writing(sessions) as session:
        session.add(Verification(organisation_id=holder, registration_number="123-ABC",
                                 status="approved", created_at=clock.now()))  # fmt: skip
    await make_org(sessions, NEWCOMER, language="en", name="Copycat")
    chat = Conversation(fake_telegram, TgUser(NEWCOMER, "C", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock):
        await chat.send("/profile")
        await chat.click(tr("en", "🛡 Trust badge"))
        await chat.click(tr("en", "🛡 Ask for verification"))
        await chat.send("123-abc")
        assert (
            tr(
                "en",
                "This registration number is already on the badge of {name}. If that is your "
                "organisation, ask its owners to invite you; if the number is wrong, apply again.",
                name="“Badge Holder”",
            )
            in chat.last_text()
        )
    async with reading(sessions) as session:
        count = await session.scalar(select(func.count()).select_from(Verification))
        assert count == 1


async def test_a_summary_confirmed_after_joining_a_team_changes_nothing(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="en", name="Hope")
    chat = Conversation(fake_telegram, TgUser(NEWCOMER, "N", language_code="ru"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await onboard_to_summary(chat, "ru", OnboardingAnswers(name="Совсем другой фонд"))
        async with writing(sessions) as session:  # accepted into Hope meanwhile
            session.add(Membership(user_id=NEWCOMER, organisation_id=org, role="member"))
        await chat.click(tr("ru", "✅ Confirm"))
        assert chat.alerts[-1] == tr(
            "ru",
            "Only the owners of your organisation can do this. Ask one of them, or ask to be "
            "made an owner in 👥 Team.",
        )
    async with reading(sessions) as session:
        assert await session.scalar(select(func.count()).select_from(Organisation)) == 1
        hope = await session.get(Organisation, org)
        assert hope is not None and hope.name == "Hope"
