"""A request to join that waits, through the real bot: /start offers to withdraw it or keep
waiting (and withdrawing starts the questionnaire and closes the owners' copies); a person
who joined or registered an organisation meanwhile is not "declined" by a later Accept: the
request is closed for every owner. Forged and stale presses change nothing."""

from __future__ import annotations

import functools

import pytest
from sqlalchemy import select, update

from bot.config import Settings
from bot.handlers.team.callbacks import JoinAnswerPress, JoinWaitPress
from bot.taxonomy import COUNTRIES
from db.engine import Sessions, reading, writing
from db.models import JoinRequest, Membership
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org, more_alerts
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import label, quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

OWNER, SECOND_OWNER, NEWCOMER, OTHER_OWNER = 740, 741, 742, 743
PENDING = (
    "⏳ Your request to join {name} is waiting for an answer from its owners. You can "
    "keep waiting, or withdraw it and fill in the questionnaire to register your own "
    "organisation."
)
WITHDRAW, KEEP = "↩️ Withdraw the request", "⏳ Keep waiting"
FIRST_QUESTION = "What is your organisation called? Write the name as partners should see it."
CLOSED = (
    "{name} has meanwhile joined or registered another organisation, so this request is closed."
)
LANGUAGES = {"ru": "Русский", "kk": "Қазақша", "hy": "Հայերեն", "ky": "Кыргызча", "en": "English"}


async def _ask_to_join(chat: Conversation, language: str, name: str) -> None:
    """A new user: language, the organisation's name and country, then 🙋 Ask to join."""
    await chat.send("/start")
    await chat.click(LANGUAGES[language])
    await chat.send(name)
    await chat.click(label(language, COUNTRIES, "KZ"))
    await chat.click(tr(language, "🙋 Ask to join"))


def _head(language: str, person: str, organisation: str) -> str:
    """A join request's first line, kept on its copies once it is closed."""
    return tr(
        language,
        "🙋 {person} asks to join {name} as a member.",
        person=person,
        name=quoted(language, organisation),
    )


async def _press(fake: FakeTelegram, chat: Conversation, message_id: int, data: str) -> str:
    """A press with `data` on one of the chat's messages; the alert it got."""
    before = len(chat.alerts)
    fake.push_callback(chat.user, message_id, data)
    await fake.wait_for(functools.partial(more_alerts, chat, before))
    return chat.alerts[-1]


async def _request(sessions: Sessions) -> JoinRequest:
    async with reading(sessions) as session:
        found: JoinRequest | None = await session.scalar(select(JoinRequest))
        assert found is not None
        return found


async def test_start_while_waiting_offers_to_withdraw_and_withdrawing_starts_over(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, OWNER, language="ru", name="Hope", country="KZ")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="ru"))
    newcomer = Conversation(fake_telegram, TgUser(NEWCOMER, "Ерлан", language_code="kk"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await _ask_to_join(newcomer, "kk", "Hope")
        copy = owner.messages()[-1]
        # /start does not begin the questionnaire again: it says the request waits.
        await newcomer.send("/start")
        assert newcomer.last_text() == tr("kk", PENDING, name=quoted("kk", "Hope"))
        assert newcomer.last_buttons() == [tr("kk", WITHDRAW), tr("kk", KEEP)]
        await newcomer.click(tr("kk", KEEP))
        assert newcomer.last_text() == tr(
            "kk", "⏳ We will write to you here when an owner of {name} answers.", name="«Hope»"
        )
        assert (await _request(sessions)).status == "pending"
        await newcomer.send("/start")
        pending_screen = newcomer.messages()[-1]["message_id"]
        await newcomer.click(tr("kk", WITHDRAW))
        screen = next(m for m in newcomer.messages() if m["message_id"] == pending_screen)
        assert screen["text"] == tr(
            "kk", "↩️ You withdrew your request to join {name}.", name=quoted("kk", "Hope")
        )
        assert not screen.get("reply_markup")
        assert tr("kk", FIRST_QUESTION) in newcomer.last_text()
        # The owner's copy says so, without buttons; its old Accept changes nothing.
        closed = owner.messages()[-1]
        assert closed["message_id"] == copy["message_id"]
        withdrawn = tr("ru", "↩️ {name} withdrew this request.", name="Ерлан")
        assert closed["text"] == _head("ru", "Ерлан", "Hope") + "\n\n" + withdrawn
        assert not closed.get("reply_markup")
        request = await _request(sessions)
        accept = JoinAnswerPress(request=request.id, accept=True).pack()
        assert await _press(fake_telegram, owner, copy["message_id"], accept) == tr(
            "ru", "This request was withdrawn by the person who sent it."
        )
        # A stale Withdraw or Keep waiting, and a forged one for another's request.
        answered = tr(
            "kk", "This request is no longer waiting: look for the owners' answer in this chat."
        )
        for withdraw in (True, False):
            data = JoinWaitPress(request=request.id, withdraw=withdraw).pack()
            assert await _press(fake_telegram, newcomer, pending_screen, data) == answered
        assert tr("kk", FIRST_QUESTION) in newcomer.last_text()  # the questionnaire stays
        # A /start now resumes the questionnaire instead of the waiting screen.
        await newcomer.send("/start")
        assert newcomer.last_text() != tr("kk", PENDING, name=quoted("kk", "Hope"))
        assert tr("kk", WITHDRAW) not in newcomer.last_buttons()
    request = await _request(sessions)
    assert (request.status, request.decided_by) == ("withdrawn", NEWCOMER)
    async with reading(sessions) as session:
        assert await session.get(Membership, NEWCOMER) is None
        assert (await session.get(Membership, OWNER)) is not None


async def test_a_forged_withdraw_for_someone_elses_request_changes_nothing(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, OWNER, language="en", name="Hope", country="KZ")
    newcomer = Conversation(fake_telegram, TgUser(NEWCOMER, "New", language_code="en"))
    intruder = Conversation(fake_telegram, TgUser(OTHER_OWNER, "Intruder", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await _ask_to_join(newcomer, "en", "Hope")
        await intruder.send("/start")
        await intruder.click("English")
        request = await _request(sessions)
        data = JoinWaitPress(request=request.id, withdraw=True).pack()
        alert = await _press(fake_telegram, intruder, intruder.messages()[-1]["message_id"], data)
        assert alert == tr(
            "en", "This request is no longer waiting: look for the owners' answer in this chat."
        )
        assert tr("en", FIRST_QUESTION) in intruder.last_text()
    assert (await _request(sessions)).status == "pending"


@pytest.mark.parametrize("how", ["invitation", "registration"])
async def test_an_accept_after_the_person_went_elsewhere_closes_the_request_for_all(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, how: str
) -> None:
    org = await make_org(sessions, OWNER, language="en", name="Hope", country="KZ")
    await make_org(sessions, SECOND_OWNER, language="hy", first_name="Second", name="Spare")
    async with writing(sessions) as session:  # a second owner of Hope
        await session.execute(
            update(Membership).where(Membership.user_id == SECOND_OWNER).values(organisation_id=org)
        )
    other = await make_org(sessions, OTHER_OWNER, language="en", name="Elsewhere")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    second = Conversation(fake_telegram, TgUser(SECOND_OWNER, "Second", language_code="hy"))
    host = Conversation(fake_telegram, TgUser(OTHER_OWNER, "Host", language_code="en"))
    newcomer = Conversation(fake_telegram, TgUser(NEWCOMER, "Նարե", language_code="ru"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await _ask_to_join(newcomer, "ru", "Hope")
        second_copy = second.messages()[-1]
        if how == "invitation":
            await host.send("/profile")
            await host.click(tr("en", "👥 Team"))
            await host.click(tr("en", "➕ Invite a colleague"))
            link = host.last_text().split("?start=")[1].split()[0]
            await newcomer.send(f"/start {link}")
            await newcomer.click(tr("ru", "✅ Join"))
            elsewhere = other
        else:  # registered their own organisation (the questionnaire's end, saved)
            elsewhere = await make_org(
                sessions, NEWCOMER, language="ru", first_name="Նարե", name="Own"
            )
        told_before = len(newcomer.messages())
        await owner.click(tr("en", "✅ Accept"))
        assert owner.last_text() == _head("en", "Նարե", "Hope") + "\n\n" + tr(
            "en", CLOSED, name="Նարե"
        )
        assert not owner.messages()[-1].get("reply_markup")
        copy = second.messages()[-1]
        assert copy["message_id"] == second_copy["message_id"]
        assert copy["text"] == _head("hy", "Նարե", "Hope") + "\n\n" + tr("hy", CLOSED, name="Նարե")
        assert not copy.get("reply_markup")
        assert len(newcomer.messages()) == told_before  # not told "declined" nor "let in"
        # The second owner's old Decline, pressed late, changes nothing.
        decline = JoinAnswerPress(request=(await _request(sessions)).id, accept=False).pack()
        assert await _press(fake_telegram, second, copy["message_id"], decline) == tr(
            "hy", "This request is closed: the person has joined or registered an organisation."
        )
        # /start shows the menu now, not the waiting screen.
        await newcomer.send("/start")
        assert tr("ru", "👤 My profile") in newcomer.last_buttons()
    request = await _request(sessions)
    assert (request.status, request.decided_by) == ("closed", OWNER)
    async with reading(sessions) as session:
        membership = await session.get(Membership, NEWCOMER)
        assert membership is not None and membership.organisation_id == elsewhere


async def test_joining_the_same_team_by_invitation_meanwhile_closes_the_request(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="en", name="Hope", country="KZ")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    newcomer = Conversation(fake_telegram, TgUser(NEWCOMER, "Nare", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await _ask_to_join(newcomer, "en", "Hope")
        request_copy = owner.messages()[-1]["message_id"]
        await owner.send("/profile")
        await owner.click(tr("en", "👥 Team"))
        await owner.click(tr("en", "➕ Invite a colleague"))
        link = owner.last_text().split("?start=")[1].split()[0]
        await newcomer.send(f"/start {link}")
        await newcomer.click(tr("en", "✅ Join"))
        await owner.click(tr("en", "✖️ Decline"), message_id=request_copy)
        copy = next(m for m in owner.messages() if m["message_id"] == request_copy)
        assert copy["text"] == _head("en", "Nare", "Hope") + "\n\n" + tr(
            "en",
            "{name} has meanwhile joined your team by an invitation, so this request is closed.",
            name="Nare",
        )
    assert (await _request(sessions)).status == "closed"
    async with reading(sessions) as session:
        membership = await session.get(Membership, NEWCOMER)
        assert membership is not None and (membership.organisation_id, membership.role) == (
            org, "member",
        )  # fmt: skip
