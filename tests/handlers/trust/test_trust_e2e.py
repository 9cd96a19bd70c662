"""Trust badge, moderation and follow-ups through the real bot, with a clock tests move."""

from __future__ import annotations

import functools
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.delivery.notifier import Notifier
from bot.handlers.contacts.asking import send_followups
from bot.handlers.contacts.callbacks import FollowUpPress
from bot.handlers.directory.callbacks import ContactAction, ContactPress, ReportPress
from bot.handlers.profile.callbacks import TrustAction, TrustPress
from bot.handlers.trust.reminders import send_badge_reminders
from bot.scheduler import Runtime
from db.engine import Sessions, reading
from db.models import IntroductionOutcome, Organisation, Report, Verification
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import (
    FrozenClock,
    bot_with_clock,
    make_org,
    more_alerts,
    search_words,
    set_org,
)
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

ORG, OTHER = 700, 701


async def sweep(bot, sessions, notifier: Notifier, clock) -> int:
    """Follow-ups and badge reminders the scheduler's sweep sends: how many."""
    runtime = Runtime(bot, sessions, notifier, clock, "en")
    return await send_followups(runtime) + await send_badge_reminders(runtime)


async def test_verification_by_an_admin_badge_reminder_and_expiry(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    await make_org(sessions, ORG, language="ru", name="Trusted", website="https://trusted.ru")
    await make_org(sessions, OTHER, language="en", name="Onlooker")
    org = Conversation(fake_telegram, TgUser(ORG, "Olga", language_code="ru"))
    other = Conversation(fake_telegram, TgUser(OTHER, "Nina", language_code="en"))
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock) as (bot, dp):
        await org.send("/profile")
        await org.click(tr("ru", "🛡 Trust badge"))
        assert tr("ru", "Your organisation does not have the badge yet.") in org.last_text()
        await org.click(tr("ru", "🛡 Ask for verification"))
        await org.send("<b>1</b>")  # markup characters are not a registration number
        assert "⚠️" in org.last_text()
        await org.send("12")
        assert "⚠️" in org.last_text()
        await org.send("1027700132195")
        await org.click(tr("ru", "Use the website from the profile"))
        assert org.last_text() == tr(
            "ru", "✅ Thank you! The administrators will check your organisation and tell you here."
        )

        await admin.send("/verify")
        queue = admin.last_text()
        assert "Trusted" in queue and "1027700132195" in queue and "https://trusted.ru" in queue
        # A non-admin pressing the very same Approve button is refused and changes nothing.
        approve = next(
            b["callback_data"]
            for row in admin.messages()[-1]["reply_markup"]["inline_keyboard"]
            for b in row
            if b["text"] == tr("en", "✅ Approve")
        )
        other_message = (await other.send("/menu"))[0]
        fake_telegram.push_callback(other.user, other.messages()[-1]["message_id"], approve)
        await fake_telegram.wait_for(lambda: other.alerts)
        assert other.alerts[-1] == tr("en", "Only administrators can do this.")
        assert other_message is not None
        async with reading(sessions) as session:
            assert await session.scalar(select(Verification.status)) == "pending"

        await admin.click(tr("en", "✅ Approve"))
        await admin.send_sticker()  # not a note: asked again, nothing decided
        assert "Please answer with text" in admin.last_text()
        await admin.send("Found in the register of SO NGOs, number and site match")
        assert tr("en", "✅ Approved and noted.") in admin.texts()
        assert tr("en", "No verification requests are waiting.") == admin.last_text()
        assert "🛡" in org.last_text() and "2027" in org.last_text()
        badge = tr("en", "🛡 verified {year}", year=2026)
        assert badge in await search_words(other, "en", "trusted")
        async with reading(sessions) as session:
            note = await session.scalar(select(Verification.note))
        assert note == "Found in the register of SO NGOs, number and site match"

        # Eleven months on: one reminder, once.
        clock.advance(days=340)
        before = len(org.messages())
        assert await sweep(bot, sessions, dp["notifier"], clock) == 1
        assert "2027" in org.last_text() and len(org.messages()) == before + 1
        assert await sweep(bot, sessions, dp["notifier"], clock) == 0
        # A year on: the badge has lapsed; the card stays, without it, and ranks lower.
        clock.advance(days=30)
        text = await search_words(other, "en", "trusted")
        assert "Trusted" in text and badge not in text
        await org.send("/profile")
        await org.click(tr("ru", "🛡 Trust badge"))
        assert tr("ru", "🛡 Ask for verification") in org.last_buttons()


async def test_rejection_reaches_the_organisation_with_the_note(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    maybe = await make_org(sessions, ORG, language="kk", name="Maybe")
    # A badge about to lapse: the renewal is rejected, and the message must say so.
    await set_org(sessions, maybe, verified_at=clock.now() - timedelta(days=350),
                  verified_until=clock.now() + timedelta(days=15))  # fmt: skip
    org = Conversation(fake_telegram, TgUser(ORG, "A", language_code="kk"))
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock):
        await org.send("/profile")
        await org.click(tr("kk", "🛡 Trust badge"))
        await org.click(tr("kk", "🛡 Ask for verification"))
        await org.send("KZ-123/45")
        await org.send("maybe.kz")
        await admin.send("/verify")
        await admin.click(tr("en", "✖️ Reject"))
        await admin.send("Not in the <register>")
        text = org.last_text()
        assert "Not in the <register>" in text  # shown literally, escaped on the wire
        rejected = tr(
            "kk",
            "Your request for the trust badge was not approved. The administrators' note: "
            "{note}\n\nYou can correct the details and ask again from your profile.",
            note="Not in the &lt;register&gt;",  # escaped as the bot does
        )
        assert text == rejected
        await org.send("/profile")
        await org.click(tr("kk", "🛡 Trust badge"))
        assert tr("kk", "🛡 Ask for verification") in org.last_buttons()  # may ask again


async def test_reports_hide_and_ban_and_a_non_admin_cannot(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    bad = await make_org(sessions, ORG, language="en", name="Dubious")
    await make_org(sessions, OTHER, language="en", name="Reporter")
    reporter = Conversation(fake_telegram, TgUser(OTHER, "R", language_code="en"))
    owner = Conversation(fake_telegram, TgUser(ORG, "D", language_code="en"))
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await reporter.send(f"/start org_{bad}")
        await reporter.click(tr("en", "⚠️ Report"))
        await reporter.click(tr("en", "Fake or misleading"))
        assert reporter.alerts[-1] == tr(
            "en", "Thank you. The administrators will review this profile."
        )
        await reporter.send(f"/start org_{bad}")
        await reporter.click(tr("en", "⚠️ Report"))
        await reporter.click(tr("en", "Spam or advertising"))
        assert "already reported" in reporter.alerts[-1]

        await admin.send("/reports")
        assert "Dubious" in admin.last_text()
        assert (
            tr("en", "Reason: {reason}", reason=tr("en", "Fake or misleading")) in admin.last_text()
        )
        hide = next(
            b["callback_data"]
            for row in admin.messages()[-1]["reply_markup"]["inline_keyboard"]
            for b in row
            if b["text"] == tr("en", "🙈 Hide the profile")
        )
        before = len(reporter.alerts)
        fake_telegram.push_callback(reporter.user, reporter.messages()[-1]["message_id"], hide)
        await fake_telegram.wait_for(lambda: len(reporter.alerts) > before)
        assert reporter.alerts[-1] == tr("en", "Only administrators can do this.")
        assert "Dubious" in await search_words(reporter, "en", "dubious")

        await admin.click(tr("en", "🙈 Hide the profile"))
        assert admin.last_text() == tr("en", "No open reports.")
        assert "Dubious" not in await search_words(reporter, "en", "dubious")
        # The hidden organisation can still search.
        assert "Reporter" in await search_words(owner, "en", "reporter")

        # Another profile is reported and banned: its owner is locked out of search.
        spam = await make_org(sessions, 702, language="en", name="Spammer")
        spammer = Conversation(fake_telegram, TgUser(702, "S", language_code="en"))
        await reporter.send(f"/start org_{spam}")
        await reporter.click(tr("en", "⚠️ Report"))
        await reporter.click(tr("en", "Spam or advertising"))
        await admin.send("/reports")
        await admin.click(tr("en", "⛔ Ban the organisation"))
        assert "Spammer" not in await search_words(reporter, "en", "spammer")
        # A request to the banned organisation (an old card's button) is refused.
        forged = ContactPress(action=ContactAction.REQUEST, org=spam).pack()
        before = len(reporter.alerts)
        fake_telegram.push_callback(reporter.user, reporter.messages()[-1]["message_id"], forged)
        await fake_telegram.wait_for(lambda: len(reporter.alerts) > before)
        assert "not in the directory" in reporter.alerts[-1]
        await spammer.send("/menu")
        await spammer.click(tr("en", "🔎 Find partners"))
        await spammer.click(tr("en", "🔎 Show results"))
        assert "blocked by the administrators" in spammer.last_text()
        await spammer.send(f"/start org_{bad + 1}")  # the reporter's card
        await spammer.click(tr("en", "📨 Request contact"))
        assert "blocked by the administrators" in spammer.alerts[-1]
    async with reading(sessions) as session:
        statuses = sorted(await session.scalars(select(Report.status)))
        hidden = await session.get(Organisation, bad)
    assert statuses == ["banned", "hidden"]
    assert hidden is not None and hidden.status == "hidden"


async def _two_organisations(
    sessions: Sessions, fake: FakeTelegram, asks: str, helps: str
) -> tuple[Conversation, Conversation, int]:
    """Organisations "Asker" and "Helper", each chatting in its own language; Helper's id."""
    await make_org(sessions, ORG, language=asks, name="Asker")
    target = await make_org(sessions, OTHER, language=helps, name="Helper")
    return (
        Conversation(fake, TgUser(ORG, "A", language_code=asks)),
        Conversation(fake, TgUser(OTHER, "H", language_code=helps)),
        target,
    )


async def _introduce(asker: Conversation, helper: Conversation, target: int) -> None:
    """Asker asks for Helper's contacts through the shared link; Helper accepts."""
    await asker.send(f"/start org_{target}")
    await asker.click(tr(asker.user.language_code or "en", "📨 Request contact"))
    await helper.click(tr(helper.user.language_code or "en", "✅ Accept"))


async def test_follow_up_two_weeks_after_an_accepted_introduction(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    asker, helper, target = await _two_organisations(sessions, fake_telegram, "ru", "hy")
    async with bot_with_clock(settings, sessions, fake_telegram, clock) as (bot, dp):
        await _introduce(asker, helper, target)
        clock.advance(days=13)
        assert await sweep(bot, sessions, dp["notifier"], clock) == 0
        clock.advance(days=1)
        assert await sweep(bot, sessions, dp["notifier"], clock) == 2
        assert "Helper" in asker.last_text() and "Asker" in helper.last_text()
        assert tr("hy", "A joint project") in helper.last_buttons()
        await asker.click(tr("ru", "An exchange of experience"))
        assert asker.last_text() == tr(
            "ru", "Thank you! Noted: {outcome}.", outcome=tr("ru", "An exchange of experience")
        )
        await helper.click(tr("hy", "Nothing yet"))
        # Asked once: a later sweep asks nothing, an old button changes nothing.
        clock.advance(days=30)
        assert await sweep(bot, sessions, dp["notifier"], clock) == 0
        again = FollowUpPress(request=1, outcome="nothing").pack()  # a second answer: kept first
        before = len(asker.alerts)
        fake_telegram.push_callback(asker.user, asker.messages()[-1]["message_id"], again)
        await fake_telegram.wait_for(lambda: len(asker.alerts) > before)
        assert asker.alerts[-1] == tr(
            "ru",
            "Your organisation has already answered: {outcome}. Thank you!",
            outcome=tr("ru", "An exchange of experience"),
        )
        # The answers are in the network's statistics.
        admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
        await admin.send("/stats")
        stats = admin.last_text()
        assert tr("en", "What came of the introductions:") in stats
        assert tr("en", "An exchange of experience") + ": 1" in stats
        assert tr("en", "accepted: {accepted}, declined: {declined}, unanswered: {pending}",
                  accepted=1, declined=0, pending=0) in stats  # fmt: skip
    async with reading(sessions) as session:
        outcomes = sorted(
            o for o in await session.scalars(select(IntroductionOutcome.outcome)) if o
        )
    assert outcomes == ["exchange", "nothing"]


async def test_a_flood_wait_and_a_server_error_are_waited_out_and_retried_once(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    asker, helper, target = await _two_organisations(sessions, fake_telegram, "en", "en")
    async with bot_with_clock(settings, sessions, fake_telegram, clock) as (bot, dp):
        await _introduce(asker, helper, target)
        clock.advance(days=14)
        # Flood control on the first send (every sender waits, then the same message is
        # tried again), then a 502 (tried again after a short backoff): both arrive, once.
        fake_telegram.fail_next("sendMessage", 429, retry_after=1)
        fake_telegram.fail_next("sendMessage", 502, "Bad Gateway")
        assert await sweep(bot, sessions, dp["notifier"], clock) == 2
        assert await sweep(bot, sessions, dp["notifier"], clock) == 0
        assert [code for *_, code, _ in fake_telegram.errors] == [429, 502]
        for chat_id in (ORG, OTHER):
            questions = [
                m for m in fake_telegram.chat_messages(chat_id)
                if "What came of it?" in m.get("text", "")
            ]  # fmt: skip
            assert len(questions) == 1


async def test_bad_input_on_the_badge_visibility_and_report_screens(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    org_id = await make_org(sessions, ORG, language="en", name="Careful")
    other = await make_org(sessions, OTHER, language="en", name="Other")
    chat = Conversation(fake_telegram, TgUser(ORG, "A", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        # Not an admin: the admin commands are not there, nothing is shown.
        await chat.send("/verify")
        assert chat.texts()[-2] == "That command is for the network's administrators."
        await chat.send("/profile")
        await chat.click(tr("en", "🛡 Trust badge"))
        await chat.click(tr("en", "🛡 Ask for verification"))
        await chat.send_sticker()  # a sticker is not a registration number
        assert "Please answer with text" in chat.last_text()
        await chat.send("x" * 65)
        assert "at most 64 characters, and you sent 65" in chat.last_text()
        await chat.send("1027700132195")
        await chat.send("not a website")  # asked again, with the same buttons
        assert "does not look like a website" in chat.last_text()
        assert tr("en", "Use the website from the profile") in chat.last_buttons()
        message_id = chat.messages()[-1]["message_id"]
        for data in (
            TrustPress(action=TrustAction.AUDIENCE, value="everyone_abroad").pack(),
            ReportPress(org=other, reason="i_dislike_them").pack(),
            FollowUpPress(request=1, outcome="fame").pack(),
        ):
            before = len(chat.alerts)
            fake_telegram.push_callback(chat.user, message_id, data)
            await fake_telegram.wait_for(functools.partial(more_alerts, chat, before))
            assert chat.alerts[-1] == tr(
                "en", "This button is out of date. Please use the latest message."
            )
    async with reading(sessions) as session:
        organisation = await session.get(Organisation, org_id)
        assert organisation is not None
        assert (organisation.audience, organisation.listed) == ("all", True)
        assert await session.scalar(select(Verification.id)) is None  # not sent yet
        assert await session.scalar(select(Report.id)) is None
