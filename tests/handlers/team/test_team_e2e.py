"""An organisation is a team, through the real bot: invitations and joining in another
language, every kind of bad invitation, roles refused on forged presses, leaving and
handing over, one inbox shared by the members, and a member's data deleted."""

from __future__ import annotations

import functools
import json
import re

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.handlers.contacts.asking import send_followups
from bot.handlers.directory.callbacks import ContactAction, ContactPress
from bot.handlers.profile.callbacks import TrustAction, TrustPress
from bot.handlers.team.callbacks import JoinPress, TeamAction, TeamPress
from bot.navigation import ProfileAction, ProfilePress
from bot.scheduler import Runtime
from db.engine import Sessions, reading, writing
from db.models import ContactRequest, IntroductionOutcome, InviteLink, Membership, Organisation
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org, more_alerts
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import quoted, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

OWNER, COLLEAGUE, THIRD, ASKER = 700, 701, 702, 703
LINK = re.compile(r"https://t\.me/\S+\?start=(join_[A-Za-z0-9_-]+)")


async def _team(chat: Conversation, language: str) -> None:
    await chat.send("/profile")
    await chat.click(tr(language, "👥 Team"))


async def _invite(chat: Conversation, language: str) -> str:
    """Team → Invite a colleague; the deep link's payload."""
    await _team(chat, language)
    await chat.click(tr(language, "➕ Invite a colleague"))
    found = LINK.search(chat.last_text())
    assert found is not None, chat.last_text()
    return found[1]


async def _forge(fake: FakeTelegram, chat: Conversation, data: str) -> str:
    """A press with hand-made data on the chat's newest message; the alert it got."""
    before = len(chat.alerts)
    fake.push_callback(chat.user, chat.messages()[-1]["message_id"], data)
    await fake.wait_for(functools.partial(more_alerts, chat, before))
    return chat.alerts[-1]


async def _role(sessions: Sessions, user_id: int) -> tuple[int, str] | None:
    async with reading(sessions) as session:
        found = await session.get(Membership, user_id)
        return None if found is None else (found.organisation_id, found.role)


async def test_a_colleague_joins_by_invitation_in_another_language(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="ru", name="Фонд «Надежда»", city="Алматы")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Айгерим", language_code="ru"))
    colleague = Conversation(fake_telegram, TgUser(COLLEAGUE, "Ерлан", language_code="kk"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        payload = await _invite(owner, "ru")
        share = next(
            button["url"]
            for row in owner.messages()[-1]["reply_markup"]["inline_keyboard"]
            for button in row
            if button["text"] == tr("ru", "📤 Share the invitation")
        )
        assert share.startswith("https://t.me/share/url?url=https%3A%2F%2Ft.me%2F")
        assert payload in share
        await colleague.send(f"/start {payload}")  # new: the language first
        await colleague.click("Қазақша")
        offer = tr("kk", "Join {name}, {city} as a member?", name="Фонд «Надежда»",
                   city="Алматы")  # fmt: skip
        assert offer in colleague.last_text()
        assert "«Фонд «" not in colleague.last_text()  # its own quotes, not quoted again
        await colleague.click(tr("kk", "✅ Join"))
        assert tr("kk", "👤 My profile") in colleague.last_buttons()
        assert await _role(sessions, COLLEAGUE) == (org, "member")
        # The member sees the card with the team, but no owner's buttons.
        await colleague.send("/profile")
        assert tr("kk", "✏️ Change an answer") not in colleague.last_buttons()
        await colleague.click(tr("kk", "👥 Team"))
        team = colleague.last_text()
        assert "Айгерим: " + tr("kk", "owner") in team and "Ерлан: " + tr("kk", "member") in team
        assert tr("kk", "➕ Invite a colleague") not in colleague.last_buttons()
        # The owner's Team screen lists both and the link with one use taken.
        await _team(owner, "ru")
        assert "Ерлан: " + tr("ru", "member") in owner.last_text()
        links = owner.last_text().split(tr("ru", "Open invitation links:"))[1]
        assert trn("ru", "{n} use left", "{n} uses left", 9) in links


async def test_expired_revoked_used_up_and_forged_invitations_are_refused_clearly(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    await make_org(sessions, OWNER, language="en", name="Hope")
    await make_org(sessions, THIRD, language="en", name="Elsewhere")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    joiner = Conversation(fake_telegram, TgUser(COLLEAGUE, "Joiner", language_code="hy"))
    other = Conversation(fake_telegram, TgUser(THIRD, "Other", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock):
        await joiner.send("/start")
        await joiner.click("Հայերեն")
        # Forged.
        await joiner.send("/start join_AAAAAAAAAAAAAAAAAAAAAA")
        assert tr("hy", "This invitation link is not valid. Ask your colleague for a new one.") in (
            joiner.last_text()
        )
        # Revoked from the Team screen.
        revoked = await _invite(owner, "en")
        await _team(owner, "en")
        await owner.click(tr("en", "🚫 Revoke link {n}").format(n=1))
        assert tr("en", "🚫 The link is revoked: nobody else can join with it.") in (
            owner.last_text()
        )
        await joiner.send(f"/start {revoked}")
        assert tr("hy", "This invitation was revoked. Ask your colleague for a new link.") in (
            joiner.last_text()
        )
        # Used up: its last use taken by someone else after the offer was shown.
        used = await _invite(owner, "en")
        await joiner.send(f"/start {used}")
        async with writing(sessions) as session:
            await session.execute(update(InviteLink).values(uses_left=0))
        await joiner.click(tr("hy", "✅ Join"))
        used_up = tr(
            "hy",
            "This invitation has been used by as many people as it allows. Ask for a new link.",
        )
        assert used_up in joiner.alerts[-1]
        assert await _role(sessions, COLLEAGUE) is None
        # Expired after seven days.
        expired = await _invite(owner, "en")
        clock.advance(days=7, seconds=1)
        await joiner.send(f"/start {expired}")
        assert tr("hy", "This invitation has expired. Ask your colleague for a new link.") in (
            joiner.last_text()
        )
        # Someone already in another organisation.
        fresh = await _invite(owner, "en")
        await other.send(f"/start {fresh}")
        assert "Elsewhere" in other.last_text() and "👥" in other.last_text()
        # A forged Join press with a token that does not exist changes nothing either.
        alert = await _forge(fake_telegram, joiner, JoinPress(token="x" * 22).pack())
        assert alert == tr(
            "hy", "This invitation link is not valid. Ask your colleague for a new one."
        )
        assert await _role(sessions, COLLEAGUE) is None
        assert await _role(sessions, THIRD) is not None


async def test_members_presses_on_owners_buttons_are_refused_and_change_nothing(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="en", name="Hope")
    stranger_org = await make_org(sessions, THIRD, language="en", name="Stranger")
    member = Conversation(fake_telegram, TgUser(COLLEAGUE, "Member", language_code="en"))
    stranger = Conversation(fake_telegram, TgUser(THIRD, "Stranger", language_code="en"))
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        payload = await _invite(owner, "en")
        await member.send(f"/start {payload}")
        await member.click("English")
        await member.click(tr("en", "✅ Join"))
        await member.send("/profile")
        owners_only = tr(
            "en",
            "Only the owners of your organisation can do this. Ask one of them, or ask to be "
            "made an owner in 👥 Team.",
        )
        for data in (
            ProfilePress(action=ProfileAction.EDIT).pack(),
            ProfilePress(action=ProfileAction.FIELD, field="name").pack(),
            TrustPress(action=TrustAction.AUDIENCE, value="hidden").pack(),
            TrustPress(action=TrustAction.APPLY).pack(),
        ):
            assert await _forge(fake_telegram, member, data) == owners_only, data
        only_owners = tr("en", "Only the owners of your organisation can do this.")
        for data in (
            TeamPress(action=TeamAction.INVITE).pack(),
            TeamPress(action=TeamAction.REMOVE_OK, user=OWNER).pack(),
            TeamPress(action=TeamAction.OWNER_OK, user=COLLEAGUE).pack(),
            TeamPress(action=TeamAction.REVOKE, link=1).pack(),
        ):
            assert await _forge(fake_telegram, member, data) == only_owners, data
        # A stranger (an owner elsewhere) pressing with this team's ids.
        await stranger.send("/menu")
        for data in (
            TeamPress(action=TeamAction.REMOVE_OK, user=COLLEAGUE).pack(),
            TeamPress(action=TeamAction.OWNER_OK, user=COLLEAGUE).pack(),
            TeamPress(action=TeamAction.REVOKE, link=1).pack(),
        ):
            alert = await _forge(fake_telegram, stranger, data)
            assert alert == tr(
                "en", "This is out of date: the team has changed. Open 👥 Team again."
            )
    async with reading(sessions) as session:
        hope = await session.get(Organisation, org)
        assert hope is not None and hope.listed and hope.name == "Hope"
        links = (await session.scalars(select(InviteLink))).all()
        assert [(link.revoked_at, link.uses_left) for link in links] == [(None, 9)]
    assert await _role(sessions, COLLEAGUE) == (org, "member")
    assert await _role(sessions, OWNER) == (org, "owner")
    assert await _role(sessions, THIRD) == (stranger_org, "owner")


async def test_the_last_owner_hands_over_before_leaving_and_the_only_member_deletes(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="en", name="Hope")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    member = Conversation(fake_telegram, TgUser(COLLEAGUE, "Member", language_code="ru"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        payload = await _invite(owner, "en")
        await member.send(f"/start {payload}")
        await member.click("Русский")
        await member.click(tr("ru", "✅ Join"))
        await _team(owner, "en")
        await owner.click(tr("en", "🚪 Leave the organisation"))
        last_owner = tr(
            "en", "You are the last owner. Make another member an owner first, then you can leave."
        )
        assert owner.alerts[-1] == last_owner
        await owner.click("👤 Member")
        await owner.click(tr("en", "⭐ Make an owner"))
        await owner.click(tr("en", "⭐ Yes, make an owner"))
        assert "⭐ Member" in owner.last_text()
        await owner.click(tr("en", "🚪 Leave the organisation"))
        assert "the organisation stays with the other members" in owner.last_text()
        await owner.click(tr("en", "🚪 Yes, leave"))
        assert tr("en", "You have left {name}.", name="“Hope”") in owner.texts()[-2]
        assert await _role(sessions, OWNER) is None
        assert await _role(sessions, COLLEAGUE) == (org, "owner")
        # Now the only member: leaving deletes the organisation, after saying so.
        await _team(member, "ru")
        await member.click(tr("ru", "🚪 Leave the organisation"))
        assert (
            tr(
                "ru",
                "You are the only member of {name}. If you leave, the organisation is deleted "
                "from NGO Bridge: its card, its contact requests and its badge. This cannot be "
                "undone. Leave and delete it?",
                name=quoted("ru", "Hope"),
            )
            in member.last_text()
        )
        await member.click(tr("ru", "🗑 Yes, leave and delete"))
        assert (
            tr("ru", "{name} is deleted, and you have left it.", name="«Hope»")
            in (member.texts()[-2])
        )
    async with reading(sessions) as session:
        assert await session.get(Organisation, org) is None


async def test_a_removed_member_is_told_and_their_old_buttons_do_nothing(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, OWNER, language="en", name="Hope")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    member = Conversation(fake_telegram, TgUser(COLLEAGUE, "Member", language_code="kk"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        payload = await _invite(owner, "en")
        await member.send(f"/start {payload}")
        await member.click("Қазақша")
        await member.click(tr("kk", "✅ Join"))
        await _team(member, "kk")  # a Team screen left open
        team_message = member.messages()[-1]["message_id"]
        await _team(owner, "en")
        await owner.click("👤 Member")
        await owner.click(tr("en", "➖ Remove from the team"))
        await owner.click(tr("en", "➖ Yes, remove"))
        assert tr("en", "{name} is no longer in the team.", name="Member") in owner.last_text()
        told = tr(
            "kk",
            "You are no longer a member of {name} in NGO Bridge. You can register your own "
            "organisation with /start.",
            name=quoted("kk", "Hope"),
        )
        assert told in member.last_text()
        await member.click(tr("kk", "🚪 Leave the organisation"), message_id=team_message)
        assert member.alerts[-1] == tr("kk", "You are not a member of an organisation any more.")
    assert await _role(sessions, COLLEAGUE) is None


async def test_a_request_reaches_every_member_and_the_first_answer_decides(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ASKER, language="en", name="Asker", contact="asker@example.org")
    org = await make_org(sessions, OWNER, language="hy", name="Hope", contact="hope@example.am")
    asker = Conversation(fake_telegram, TgUser(ASKER, "Asker", language_code="en"))
    owner = Conversation(fake_telegram, TgUser(OWNER, "Ashot", language_code="hy"))
    member = Conversation(fake_telegram, TgUser(COLLEAGUE, "Dana", language_code="kk"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        payload = await _invite(owner, "hy")
        await member.send(f"/start {payload}")
        await member.click("Қазақша")
        await member.click(tr("kk", "✅ Join"))
        await asker.send(f"/start org_{org}")
        await asker.click(tr("en", "📨 Request contact"))
        for chat, language in ((owner, "hy"), (member, "kk")):
            expected = tr(
                language,
                "📨 <b>{name}</b> would like to get in touch with your organisation.",
                name="Asker",
            )
            assert expected in chat.last_text()
            assert tr(language, "✅ Accept") in chat.last_buttons()
        owner_copy = owner.messages()[-1]["message_id"]
        await member.click(tr("kk", "✅ Accept"))
        assert "asker@example.org" in member.last_text()
        assert "hope@example.am" in asker.last_text() and "Dana" in asker.last_text()
        # The contacts stay in 📨 Contact requests for every member, the owner included.
        await owner.send("/menu")
        await owner.click(tr("hy", "📨 Contact requests"))
        assert "asker@example.org" in owner.last_text()
        # The owner's copy now says who answered, without buttons.
        copy = next(m for m in owner.messages() if m["message_id"] == owner_copy)
        head = tr("hy", "📨 <b>{name}</b> would like to get in touch with your organisation.",
                  name="Asker")  # fmt: skip
        assert copy["text"] == head + "\n\n" + tr("hy", "✅ Accepted by {name}.", name="Dana")
        assert not copy.get("reply_markup")
        # A press on it from before the edit is refused with the same news.
        async with reading(sessions) as session:
            request_id = await session.scalar(select(ContactRequest.id))
        press = ContactPress(action=ContactAction.ACCEPT, request=request_id or 0).pack()
        answered = tr(
            "hy", "{name} from your organisation has already answered this request.", name="Dana"
        )
        assert await _forge(fake_telegram, owner, press) == answered
    async with reading(sessions) as session:
        request = await session.scalar(select(ContactRequest))
        assert request is not None
        assert (request.status, request.asked_by, request.decided_by) == (
            "accepted", ASKER, COLLEAGUE,
        )  # fmt: skip


async def test_the_daily_limit_counts_the_whole_organisation(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, OWNER, language="en", name="Hope")
    targets = [await make_org(sessions, 800 + n, name=f"Target {n}") for n in range(12)]
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    member = Conversation(fake_telegram, TgUser(COLLEAGUE, "Member", language_code="ru"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        payload = await _invite(owner, "en")
        await member.send(f"/start {payload}")
        await member.click("Русский")
        await member.click(tr("ru", "✅ Join"))
        for n, target in enumerate(targets[:10]):
            chat, language = (owner, "en") if n % 2 else (member, "ru")
            await chat.send(f"/start org_{target}")
            await chat.click(tr(language, "📨 Request contact"))
            sent = tr(
                language,
                "📨 Your request has been sent to {name}. We will tell you when they answer.",
                name=quoted(language, f"Target {n}"),
            )
            assert chat.alerts[-1] == sent
        # Neither member has sent ten, the organisation has: both are refused, each told
        # in their language that the organisation sent them.
        for chat, language, target in ((member, "ru", targets[10]), (owner, "en", targets[11])):
            await chat.send(f"/start org_{target}")
            await chat.click(tr(language, "📨 Request contact"))
            told = trn(
                language,
                "Your organisation has already sent {n} contact request in the last 24 hours, "
                "the daily maximum for an organisation. It can send more from {date}.",
                "Your organisation has already sent {n} contact requests in the last 24 hours, "
                "the daily maximum for an organisation. It can send more from {date}.",
                10,
                date="\0",
            )
            before, after = told.split("\0")
            alert = chat.alerts[-1]
            assert alert.startswith(before) and alert.endswith(after), alert
            assert len(alert) > len(told)  # a date was filled in
        assert member.alerts[-1].startswith("Ваша организация уже отправила 10 запросов")
        assert owner.alerts[-1].startswith("Your organisation has already sent 10 contact")
    async with reading(sessions) as session:
        assert await session.scalar(select(func.count()).select_from(ContactRequest)) == 10


async def test_a_members_data_deleted_while_the_organisation_stays(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org = await make_org(sessions, OWNER, language="en", name="Hope")
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="en"))
    member = Conversation(fake_telegram, TgUser(COLLEAGUE, "Member", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        payload = await _invite(owner, "en")
        await member.send(f"/start {payload}")
        await member.click("English")
        await member.click(tr("en", "✅ Join"))
        # The member's export lists the membership.
        await member.send("/mydata")
        await member.click(tr("en", "📤 Download my data"))
        document = member.messages()[-1]["document"]
        data = json.loads(fake_telegram.file_bytes(document["file_id"]))
        assert data["membership"]["organisation"] == "Hope"
        assert data["membership"]["role"] == "member"
        # The owner deletes their data: told the organisation stays, the member becomes owner.
        await owner.send("/mydata")
        await owner.click(tr("en", "🗑 Delete my data"))
        stays = "which stays in NGO Bridge with the other members of its team"
        assert stays in owner.last_text()
        await owner.click(tr("en", "🗑 Yes, delete everything"))
        await member.send("/profile")
        assert tr("en", "✏️ Change an answer") in member.last_buttons()
    assert await _role(sessions, OWNER) is None
    assert await _role(sessions, COLLEAGUE) == (org, "owner")
    async with reading(sessions) as session:
        assert await session.get(Organisation, org) is not None


async def test_a_follow_up_is_answered_once_per_organisation(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    await make_org(sessions, ASKER, language="en", name="Asker")
    org = await make_org(sessions, OWNER, language="ru", name="Hope")
    asker = Conversation(fake_telegram, TgUser(ASKER, "Asker", language_code="en"))
    owner = Conversation(fake_telegram, TgUser(OWNER, "Owner", language_code="ru"))
    member = Conversation(fake_telegram, TgUser(COLLEAGUE, "Member", language_code="ky"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock) as (bot, dp):
        payload = await _invite(owner, "ru")
        await member.send(f"/start {payload}")
        await member.click("Кыргызча")
        await member.click(tr("ky", "✅ Join"))
        await asker.send(f"/start org_{org}")
        await asker.click(tr("en", "📨 Request contact"))
        await owner.click(tr("ru", "✅ Accept"))
        clock.advance(days=14)
        runtime = Runtime(bot, sessions, dp["notifier"], clock, "en")
        assert await send_followups(runtime) == 3  # the asker, and both members of Hope
        owner_copy = owner.messages()[-1]["message_id"]
        await member.click(tr("ky", "A joint project"))
        await owner.click(tr("ru", "Nothing yet"), message_id=owner_copy)
        kept = tr(
            "ru",
            "Your organisation has already answered: {outcome}. Thank you!",
            outcome=tr("ru", "A joint project"),
        )
        assert owner.alerts[-1] == kept and owner.last_text() == kept
    async with reading(sessions) as session:
        said = await session.scalar(
            select(IntroductionOutcome.outcome).where(IntroductionOutcome.organisation_id == org)
        )
    assert said == "project"
