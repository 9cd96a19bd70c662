"""One inbox and the team's frictions, through the real bot: an answer closes every copy of
a request (the answerer's own too) and keeps its first line; a late press by the person who
answered speaks to them in the first person; people are told of the team's changes that
concern them; a refused ✅ Join leads back to the menu; names are quoted once."""

from __future__ import annotations

import functools
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select, update

from bot import users
from bot.config import Settings
from bot.handlers.directory.callbacks import ContactAction, ContactPress
from bot.handlers.team.callbacks import JoinAnswerPress
from bot.taxonomy import COUNTRIES
from db.engine import Sessions, reading, writing
from db.models import ContactRequest, InviteLink, JoinRequest, Membership
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org, more_alerts
from tests.fake_telegram import JSON, FakeTelegram, TgUser
from tests.i18n_helpers import label, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

ASKER, SECOND_ASKER, OWNER, MEMBER, SECOND_OWNER, NEWCOMER = 760, 761, 762, 763, 764, 765
ASKS = "📨 <b>{name}</b> would like to get in touch with your organisation."
JOIN_HEAD = "🙋 {person} asks to join {name} as a member."
YOU_ANSWERED = "You have already answered this request."
NEW_OWNER = (
    "⭐ {person} made you an owner of {name}. You can now change its profile and manage the "
    "team in 👥 Team."
)
OWNER_LEFT = "🚪 {person}, an owner, has left {name}."
ONLY_OWNER = (
    "You are now its only owner: to share the work, make another member an owner in 👥 Team."
)
JOINED = (
    "👋 {person} has joined {name} by the invitation link {inviter} created (it works until "
    "{date}, {uses})."
)


async def _join(sessions: Sessions, org: int, user_id: int, first_name: str, language: str,
                role: str = "member") -> None:  # fmt: skip
    """Someone in the team already (how they got there is not what these tests are about)."""
    await users.touch_user(sessions, user_id, first_name, None, is_admin=False)
    await users.set_language(sessions, user_id, language)
    async with writing(sessions) as session:
        session.add(Membership(user_id=user_id, organisation_id=org, role=role))


def _message(chat: Conversation, message_id: int) -> JSON:
    return next(m for m in chat.messages() if m["message_id"] == message_id)


async def _press(fake: FakeTelegram, chat: Conversation, message_id: int, data: str) -> str:
    """A press with `data` on one of the chat's messages (as from before an edit); its alert."""
    before = len(chat.alerts)
    fake.push_callback(chat.user, message_id, data)
    await fake.wait_for(functools.partial(more_alerts, chat, before))
    return chat.alerts[-1]


async def _request_id(sessions: Sessions, sender_id: int) -> int:
    async with reading(sessions) as session:
        found = await session.scalar(
            select(ContactRequest.id)
            .join(Membership, Membership.organisation_id == ContactRequest.sender_id)
            .where(Membership.user_id == sender_id)
        )
        assert found is not None
        return found


async def test_an_answer_closes_every_copy_and_the_answerer_is_told_in_the_first_person(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ASKER, language="en", name="Asker Fund", contact="a@example.org")
    await make_org(sessions, SECOND_ASKER, language="en", name="Second Fund")
    org = await make_org(sessions, OWNER, language="hy", first_name="Ashot", name="Hope")
    await _join(sessions, org, MEMBER, "Dana", "kk")
    asker = Conversation(fake_telegram, TgUser(ASKER, "Asker", language_code="en"))
    second_asker = Conversation(fake_telegram, TgUser(SECOND_ASKER, "S", language_code="en"))
    owner = Conversation(fake_telegram, TgUser(OWNER, "Ashot", language_code="hy"))
    member = Conversation(fake_telegram, TgUser(MEMBER, "Dana", language_code="kk"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await asker.send(f"/start org_{org}")
        await asker.click(tr("en", "📨 Request contact"))
        owner_copy = owner.messages()[-1]["message_id"]
        member_copy = member.messages()[-1]["message_id"]
        # The owner answers from 📨 Contact requests, not on their copy of the request.
        await owner.send("/menu")
        await owner.click(tr("hy", "📨 Contact requests"))
        await owner.click(tr("hy", "✅ Accept"))
        assert "a@example.org" in owner.last_text()
        # Every copy is closed, the owner's own too, each keeping who asked.
        mine = _message(owner, owner_copy)
        head = tr("hy", ASKS, name="Asker Fund")
        assert mine["text"] == head + "\n\n" + tr("hy", "✅ You accepted this request.")
        assert not mine.get("reply_markup")
        theirs = _message(member, member_copy)
        head = tr("kk", ASKS, name="Asker Fund")
        assert theirs["text"] == head + "\n\n" + tr("kk", "✅ Accepted by {name}.", name="Ashot")
        assert not theirs.get("reply_markup")
        # Presses from before the edits: the owner is told they answered, not about
        # "Ashot from your organisation"; the member learns who did.
        decline = ContactPress(
            action=ContactAction.DECLINE, request=await _request_id(sessions, ASKER)
        ).pack()
        assert await _press(fake_telegram, owner, owner_copy, decline) == tr("hy", YOU_ANSWERED)
        assert await _press(fake_telegram, member, member_copy, decline) == tr(
            "kk", "{name} from your organisation has already answered this request.", name="Ashot"
        )
        # A second request, declined by the member on their own copy: that copy says so
        # below who asked; the owner's copy says who declined.
        await second_asker.send(f"/start org_{org}")
        await second_asker.click(tr("en", "📨 Request contact"))
        owner_copy = owner.messages()[-1]["message_id"]
        member_copy = member.messages()[-1]["message_id"]
        await member.click(tr("kk", "✖️ Decline"), message_id=member_copy)
        declined = tr(
            "kk", "You declined the request. The other organisation will not see your contacts."
        )
        pressed = _message(member, member_copy)
        assert pressed["text"] == tr("kk", ASKS, name="Second Fund") + "\n\n" + declined
        closed = _message(owner, owner_copy)
        declined_by = tr("hy", "✖️ Declined by {name}.", name="Dana")
        assert closed["text"] == tr("hy", ASKS, name="Second Fund") + "\n\n" + declined_by
        assert not closed.get("reply_markup")
        accept = ContactPress(
            action=ContactAction.ACCEPT, request=await _request_id(sessions, SECOND_ASKER)
        ).pack()
        assert await _press(fake_telegram, member, member_copy, accept) == tr("kk", YOU_ANSWERED)
    async with reading(sessions) as session:
        statuses = (await session.scalars(select(ContactRequest.status))).all()
        assert sorted(statuses) == ["accepted", "declined"]


async def test_a_join_request_answered_closes_the_other_owners_copy_and_keeps_who_asked(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="ru", first_name="Айгерим", name="Hope",
                         country="KZ")  # fmt: skip
    await _join(sessions, org, SECOND_OWNER, "Ani", "hy", role="owner")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Айгерим", language_code="ru"))
    second = Conversation(fake_telegram, TgUser(SECOND_OWNER, "Ani", language_code="hy"))
    newcomer = Conversation(
        fake_telegram, TgUser(NEWCOMER, "Ерлан", username="erlan", language_code="ru")
    )
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await newcomer.send("/start")
        await newcomer.click("Русский")
        await newcomer.send("Hope")
        await newcomer.click(label("ru", COUNTRIES, "KZ"))
        await newcomer.click(tr("ru", "🙋 Ask to join"))
        owner_copy = owner.messages()[-1]["message_id"]
        second_copy = second.messages()[-1]["message_id"]
        await owner.click(tr("ru", "✅ Accept"), message_id=owner_copy)
        head = tr("ru", JOIN_HEAD, person="Ерлан (@erlan)", name="«Hope»")
        decided = tr("ru", "✅ {name} is now a member of your team.", name="Ерлан")
        assert _message(owner, owner_copy)["text"] == head + "\n\n" + decided
        closed = _message(second, second_copy)
        head = tr("hy", JOIN_HEAD, person="Ерлан (@erlan)", name="«Hope»")
        accepted_by = tr("hy", "✅ Accepted by {name}.", name="Айгерим")
        assert closed["text"] == head + "\n\n" + accepted_by
        assert not closed.get("reply_markup")
        # A late press on the copy the owner answered on: the owner is told they answered.
        async with reading(sessions) as session:
            request_id = await session.scalar(select(JoinRequest.id))
        decline = JoinAnswerPress(request=request_id or 0, accept=False).pack()
        assert await _press(fake_telegram, owner, owner_copy, decline) == tr("ru", YOU_ANSWERED)
        assert await _press(fake_telegram, second, second_copy, decline) == tr(
            "hy", "{name} has already answered this request.", name="Айгерим"
        )
    async with reading(sessions) as session:
        membership = await session.get(Membership, NEWCOMER)
        assert membership is not None and membership.role == "member"


async def test_owners_hear_who_joined_by_which_link_and_of_new_and_departing_owners(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    org = await make_org(sessions, OWNER, language="en", first_name="Olga", name="Hope")
    await _join(sessions, org, SECOND_OWNER, "Ani", "hy", role="owner")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Olga", language_code="en"))
    second = Conversation(fake_telegram, TgUser(SECOND_OWNER, "Ani", language_code="hy"))
    joiner = Conversation(fake_telegram, TgUser(NEWCOMER, "Aibek", language_code="ky"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock):
        await owner.send("/profile")
        await owner.click(tr("en", "👥 Team"))
        await owner.click(tr("en", "➕ Invite a colleague"))
        link = owner.last_text().split("?start=")[1].split()[0]
        clock.advance(days=1)  # joining a day later: the link works six more days
        await joiner.send(f"/start {link}")
        await joiner.click("Кыргызча")
        await joiner.click(tr("ky", "✅ Join"))
        until = clock.now() + timedelta(days=6)
        for chat, language, name in ((owner, "en", "“Hope”"), (second, "hy", "«Hope»")):
            told = tr(language, JOINED, person="Aibek", name=name, inviter="Olga",
                      date=format_date(until, format="long", locale=language),
                      uses=trn(language, "{n} use left", "{n} uses left", 9))  # fmt: skip
            assert chat.last_text() == told
        assert tr("ky", "👤 My profile") in joiner.last_buttons()  # not told about themselves
        # Olga makes Aibek an owner: Aibek is told, in Kyrgyz.
        await owner.send("/profile")
        await owner.click(tr("en", "👥 Team"))
        await owner.click("👤 Aibek")
        await owner.click(tr("en", "⭐ Make an owner"))
        await owner.click(tr("en", "⭐ Yes, make an owner"))
        assert joiner.last_text() == tr("ky", NEW_OWNER, person="Olga", name="«Hope»")
        # Ani leaves: two owners remain, each told, neither the only one.
        await second.send("/profile")
        await second.click(tr("hy", "👥 Team"))
        await second.click(tr("hy", "🚪 Leave the organisation"))
        await second.click(tr("hy", "🚪 Yes, leave"))
        assert owner.last_text() == tr("en", OWNER_LEFT, person="Ani", name="“Hope”")
        seen_by_ani = len(second.messages())
        assert joiner.last_text() == tr("ky", OWNER_LEFT, person="Ani", name="«Hope»")
        # Olga leaves: Aibek is the only owner now, and is told so.
        await owner.send("/profile")
        await owner.click(tr("en", "👥 Team"))
        await owner.click(tr("en", "🚪 Leave the organisation"))
        await owner.click(tr("en", "🚪 Yes, leave"))
        left = tr("ky", OWNER_LEFT, person="Olga", name="«Hope»")
        assert joiner.last_text() == left + " " + tr("ky", ONLY_OWNER)
        assert len(second.messages()) == seen_by_ani  # no longer in the team: not told
    async with reading(sessions) as session:
        membership = await session.get(Membership, NEWCOMER)
        assert membership is not None and membership.role == "owner"


@pytest.mark.parametrize("meanwhile", ["used_up", "revoked"])
async def test_a_join_refused_after_the_offer_leads_back_to_the_main_menu(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, meanwhile: str
) -> None:
    clock = FrozenClock()
    await make_org(sessions, OWNER, language="en", name="Hope")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    joiner = Conversation(fake_telegram, TgUser(NEWCOMER, "Joiner", language_code="ru"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock):
        await owner.send("/profile")
        await owner.click(tr("en", "👥 Team"))
        await owner.click(tr("en", "➕ Invite a colleague"))
        link = owner.last_text().split("?start=")[1].split()[0]
        await joiner.send(f"/start {link}")
        await joiner.click("Русский")
        async with writing(sessions) as session:  # the link changes while the offer is open
            change = {"uses_left": 0} if meanwhile == "used_up" else {"revoked_at": clock.now()}
            await session.execute(update(InviteLink).values(**change))
        await joiner.click(tr("ru", "✅ Join"))
        refusal = {
            "used_up": "This invitation has been used by as many people as it allows. Ask for a "
            "new link.",
            "revoked": "This invitation was revoked. Ask your colleague for a new link.",
        }[meanwhile]
        assert joiner.last_text() == tr("ru", refusal)
        assert joiner.last_buttons() == [tr("ru", "🏠 Main menu")]
        await joiner.click(tr("ru", "🏠 Main menu"))
        assert tr("ru", "📝 Fill in the questionnaire") in joiner.last_buttons()
    async with reading(sessions) as session:
        assert await session.get(Membership, NEWCOMER) is None


async def test_names_with_their_own_quotes_are_not_quoted_again(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    quoted_org = await make_org(sessions, OWNER, language="ru", first_name="Айгерим",
                                name="Фонд «Надёжный берег»")  # fmt: skip
    await _join(sessions, quoted_org, MEMBER, "Ashot", "hy")
    plain_org = await make_org(sessions, SECOND_OWNER, language="hy", first_name="Ani",
                               name="Հույս")  # fmt: skip
    owner = Conversation(fake_telegram, TgUser(OWNER, "Айгерим", language_code="ru"))
    member = Conversation(fake_telegram, TgUser(MEMBER, "Ashot", language_code="hy"))
    other = Conversation(fake_telegram, TgUser(SECOND_OWNER, "Ani", language_code="hy"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        for chat, language in ((owner, "ru"), (member, "hy")):
            await chat.send("/profile")
            await chat.click(tr(language, "👥 Team"))
            team = chat.last_text()
            title = tr(language, "👥 <b>Team of {name}</b>", name="Фонд «Надёжный берег»")
            assert team.startswith(title + "\n")
            assert "«Фонд" not in team and "»»" not in team
        # The member lines through the catalog: Armenian puts ՝ after the name.
        assert "Айгерим՝ " + tr("hy", "owner") in member.last_text()
        assert "Ashot՝ " + tr("hy", "member") in member.last_text()
        assert "Ashot: " + tr("ru", "member") in owner.last_text()
        # A name without quotes of its own gets the language's.
        await other.send("/profile")
        await other.click(tr("hy", "👥 Team"))
        assert other.last_text().startswith(tr("hy", "👥 <b>Team of {name}</b>", name="«Հույս»"))
        await member.click(tr("hy", "🚪 Leave the organisation"))
        leave = tr(
            "hy",
            "Leave {name}? You will no longer receive its requests and news; the organisation "
            "stays with the other members.",
            name="Фонд «Надёжный берег»",
        )
        assert member.last_text() == leave
    assert plain_org != quoted_org
