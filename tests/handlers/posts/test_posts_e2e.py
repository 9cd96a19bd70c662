"""Posts end to end (issue 21, first slice): a Yerevan NGO posts a webinar in Armenian, two
admins get it (Russian, English), one rejects it with a reason and a comment, the poster
edits and submits again, the other approves, the first admin's copy says who decided, and
the subscribers in Kazakhstan get it once, not the poster's own organisation; a forged
Approve is refused; with POST_REVIEW=unverified a verified organisation's post goes out
without review."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from sqlalchemy import select

from bot import users
from bot.config import Settings
from bot.handlers.events.announcer import deliver_due
from bot.handlers.posts.callbacks import ReviewAction, ReviewPress
from bot.handlers.team import membership
from bot.navigation import MenuAction, MenuPress
from db.engine import Sessions, reading
from db.models import Event
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org, set_org
from tests.event_helpers import KZ_EN, KZ_RU, NOW, RU_RU, event_bot, subscribers, texts_of
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import quoted, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

SECOND_ADMIN, POSTER, COLLEAGUE = 9002, 700, 702
TITLE = "Դրամահավաք <ՀԿ-ների> համար"
HOST = "Կանաչ Երևան"


def _titled(language: str) -> str:
    """The title as the bot shows it in `language`: quoted, and read as typed."""
    return tr(language, "“{name}”", name=escape(TITLE))


async def _admins(sessions: Sessions) -> None:
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ru")
    await users.touch_user(sessions, SECOND_ADMIN, "Anna", None, is_admin=True)
    await users.set_language(sessions, SECOND_ADMIN, "en")


def _two_admins(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID, SECOND_ADMIN}), **changes})


async def _write_webinar(poster: Conversation) -> int:
    """From the menu to the preview, in Armenian; returns the preview's message id."""
    hy = "hy"
    await poster.send("/menu")
    await poster.click(tr(hy, "📣 Offer or seek"))
    await poster.click(tr(hy, "🎓 An event we host"))
    await poster.click("💻 " + tr(hy, "Webinar"))
    await poster.send(TITLE)
    await poster.send("Երկու ժամ դրամահավաքի մասին։")
    await poster.send("14.12.2026 15:00")
    await poster.send("14.12.2026 17:00")
    await poster.send("https://meet.example.am/funds")
    await poster.click(tr(hy, "Measuring social impact"))
    await poster.click(tr(hy, "✔ Done"))
    await poster.click(tr(hy, "✔ Done") + f" ({tr(hy, 'All')})")  # any focus area
    await poster.click("🇰🇿 " + tr(hy, "Kazakhstan"))
    await poster.click("🇦🇲 " + tr(hy, "Armenia"))  # its own country: not to itself
    await poster.click(tr(hy, "✔ Done"))
    await poster.click(tr(hy, "✔ Done") + f" ({tr(hy, 'All')})")  # every language
    await poster.click(tr(hy, "Skip"))  # no registration link
    return int(poster.messages()[-1]["message_id"])


async def test_a_webinar_posted_in_armenian_is_rejected_edited_approved_and_announced_once(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)  # KZ_RU and KZ_EN want to learn about impact, in Kazakhstan
    await _admins(sessions)
    await make_org(sessions, POSTER, language="hy", name=HOST, country="AM", city="Yerevan",
                   want_learn=["impact"])  # fmt: skip
    # A colleague who joined by a link, in Russian: told too, in her language.
    token, _ = await membership.create_invite(sessions, POSTER, NOW)
    await users.touch_user(sessions, COLLEAGUE, "Irina", None, is_admin=False)
    await users.set_language(sessions, COLLEAGUE, "ru")
    await membership.join(sessions, COLLEAGUE, token, NOW)
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code="hy"))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    anna = Conversation(fake_telegram, TgUser(SECOND_ADMIN, "Anna", language_code="en"))
    irina = Conversation(fake_telegram, TgUser(COLLEAGUE, "Irina", language_code="ru"))
    stranger = Conversation(fake_telegram, TgUser(KZ_EN, "Owner", language_code="en"))
    clock = FrozenClock(NOW)
    async with event_bot(_two_admins(settings), sessions, fake_telegram, clock) as runtime:
        preview_id = await _write_webinar(poster)
        preview = poster.last_text()
        assert TITLE in preview and "https://meet.example.am/funds" in preview
        assert tr("hy", "🏢 Hosted by {name}", name=quoted("hy", HOST)) in preview
        assert (
            tr("hy", "👀 <b>Preview of your event</b>: this is exactly what subscribers will get.")
            in preview
        )
        await poster.click(tr("hy", "🏢 The host's card"))  # sent below; the preview stays
        assert HOST in poster.last_text() and poster.last_text() != preview
        await poster.click(tr("hy", "📨 Submit"), message_id=preview_id)
        title_hy = escape(_titled("hy"))
        assert poster.texts()[-2].startswith("📨")  # the preview became the receipt
        async with reading(sessions) as session:
            post = await session.scalar(select(Event).where(Event.posted_by == POSTER))
            assert post is not None and post.review == "pending" and post.status == "draft"
            assert post.host_organisation_id is not None
            post_id = post.id
        # Each admin has it in their language, with Approve and Reject.
        head_ru = tr("ru", "📝 <b>An event to review</b> (#{id})", id=post_id)
        assert oleg.last_text().startswith(head_ru) and TITLE in oleg.last_text()
        assert tr("ru", "🏢 Hosted by {name}", name=quoted("ru", HOST)) in oleg.last_text()
        assert anna.last_text().startswith(f"📝 An event to review (#{post_id})")
        assert anna.last_buttons()[:2] == ["✅ Approve", "❌ Reject"]
        # Someone who is not an admin forges an Approve: refused, nothing decided.
        await stranger.send("/menu")
        forged = ReviewPress(action=ReviewAction.APPROVE, item=post_id).pack()
        update_id = fake_telegram.push_callback(
            stranger.user, stranger.messages()[-1]["message_id"], forged
        )
        await fake_telegram.wait_handled(update_id)
        assert stranger.alerts[-1] == "Only administrators can do this."
        await stranger.send("/review")
        assert stranger.texts()[-2] == "That command is for the network's administrators."
        # Oleg rejects it, in Russian: a reason, then a comment (escaped).
        await oleg.click(tr("ru", "❌ Reject"))
        await oleg.click(tr("ru", "Incomplete or unclear"))
        await oleg.send("x" * 301)
        assert oleg.last_text() == tr(
            "ru",
            "The comment is too long: at most {limit} characters. Please write it again.",
            limit=300,
        )
        await oleg.send("Добавьте ссылку на регистрацию <сюда>")
        assert oleg.last_text() == tr("ru", "❌ You rejected {title}.", title=escape(_titled("ru")))
        assert anna.last_text() == tr(
            "en",
            "❌ {title} was rejected by {name}: {reason}.",
            title=escape(_titled("en")),
            name="Oleg",
            reason="Incomplete or unclear",
        )
        assert anna.last_buttons() == []  # her copy has no buttons left
        # The poster learns why, in Armenian, and edits from the notice.
        notice = poster.last_text()
        assert tr("hy", "❌ Your event {title} was not approved.", title=title_hy) in notice
        assert tr("hy", "Reason: {reason}", reason=tr("hy", "Incomplete or unclear")) in notice
        assert "Добавьте ссылку на регистрацию <сюда>" in notice  # escaped, shown as typed
        assert irina.last_text().startswith(
            tr("ru", "❌ Your event {title} was not approved.", title=escape(_titled("ru")))
        )
        assert irina.last_buttons() == [tr("ru", "✏️ Edit and submit again")]
        await poster.click(tr("hy", "✏️ Edit and submit again"))
        assert tr("hy", "🏢 Hosted by {name}", name=quoted("hy", HOST)) in poster.last_text()
        await poster.click(tr("hy", "« Back"))  # to the last step: the registration link
        await poster.send("https://reg.example.am")
        assert "https://reg.example.am" in poster.last_text()  # straight back to the preview
        await poster.click(tr("hy", "📨 Submit"))
        # Anna approves the new version; Oleg's new copy says who decided.
        assert "https://reg.example.am" in anna.last_text()
        await anna.click("✅ Approve")
        assert anna.last_text() == f"✅ You approved {_titled('en')}."
        assert oleg.last_text() == tr(
            "ru", "✅ {title} was approved by {name}.", title=escape(_titled("ru")), name="Anna"
        )
        assert poster.last_text() == tr(
            "hy",
            "✅ Your event {title} was approved and published: the organisations it suits will "
            "get it.",
            title=title_hy,
        )
        assert irina.last_text() == tr(
            "ru",
            "✅ Your event {title} was approved and published: the organisations it suits will "
            "get it.",
            title=escape(_titled("ru")),
        )
        # Oleg's late press (an old message's button): the first decision counted.
        late = ReviewPress(action=ReviewAction.APPROVE, item=post_id).pack()
        update_id = fake_telegram.push_callback(oleg.user, oleg.messages()[-1]["message_id"], late)
        await fake_telegram.wait_handled(update_id)
        assert oleg.alerts[-1] == tr("ru", "{name} has already decided on this post.", name="Anna")
        await anna.send("/review")
        assert anna.last_text() == "No posts are waiting for review."
        # Subscribers in Kazakhstan get it once; the poster's organisation does not.
        assert await deliver_due(runtime) == 2
        clock.advance(minutes=5)
        assert await deliver_due(runtime) == 0
    for user_id in (KZ_RU, KZ_EN):
        [announcement] = [t for t in texts_of(fake_telegram, user_id) if TITLE in t]
        assert "https://reg.example.am" in announcement
    [russian] = [t for t in texts_of(fake_telegram, KZ_RU) if TITLE in t]
    assert tr("ru", "🏢 Hosted by {name}", name=quoted("ru", HOST)) in russian
    for own in (POSTER, COLLEAGUE):  # the host organisation's own members
        assert not [t for t in texts_of(fake_telegram, own) if t.startswith("💻")]
    assert not [t for t in texts_of(fake_telegram, RU_RU) if TITLE in t]  # not for Russia


async def test_with_post_review_unverified_a_verified_organisation_publishes_at_once(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)
    await _admins(sessions)
    host = await make_org(sessions, POSTER, language="hy", name=HOST, country="AM")
    await set_org(sessions, host, verified_at=NOW, verified_until=NOW + timedelta(days=365))
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code="hy"))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    changed = _two_admins(settings, post_review="unverified")
    async with event_bot(changed, sessions, fake_telegram, FrozenClock(NOW)) as runtime:
        await _write_webinar(poster)
        await poster.click(tr("hy", "📨 Submit"))
        assert poster.last_text() == tr(
            "hy",
            "📣 Your event {title} is published: your organisation has a valid trust badge, so it goes out "
            "without review.",
            title=escape(_titled("hy")),
        )
        assert oleg.texts() == []  # no review
        assert await deliver_due(runtime) == 2
    async with reading(sessions) as session:
        post = await session.scalar(select(Event).where(Event.posted_by == POSTER))
        assert post is not None and post.review == "approved" and post.status == "published"


async def test_a_post_being_written_survives_a_restart_and_a_hidden_organisation_cannot_post(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, POSTER, language="hy", name=HOST, country="AM")
    hidden = await make_org(sessions, POSTER + 1, language="ru", name="Тень", country="KZ")
    await set_org(sessions, hidden, status="hidden")
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code="hy"))
    shadow = Conversation(fake_telegram, TgUser(POSTER + 1, "Ivan", language_code="ru"))
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await poster.send("/menu")
        await poster.click(tr("hy", "📣 Offer or seek"))
        await poster.click(tr("hy", "🎓 An event we host"))
        await poster.click("💻 " + tr("hy", "Webinar"))
        await poster.send(TITLE)
    # A new process: the answers so far are in the database.
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await poster.send("Երկու ժամ դրամահավաքի մասին։")
        start = (
            "When does it start? Your time zone is {zone}. "
            "For example: 14.12.2026 15:00 or 2026-12-14 15:00"
        )
        assert tr("hy", start, zone="Asia/Yerevan") in poster.last_text()
        await shadow.send("/menu")
        assert tr("ru", "📣 Offer or seek") not in shadow.last_buttons()
        # An old menu's button (or a forged one): refused in their language.
        offer = MenuPress(action=MenuAction.POST).pack()
        update_id = fake_telegram.push_callback(
            shadow.user, shadow.messages()[-1]["message_id"], offer
        )
        await fake_telegram.wait_handled(update_id)
        assert shadow.alerts[-1] == tr(
            "ru", "Your organisation's profile is hidden or blocked: it cannot post."
        )


async def test_a_preview_left_open_past_the_start_says_so_and_the_start_can_be_changed(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """Submit after the start (14.12.2026 15:00 in Yerevan) passed: an alert saying the
    start has passed, the preview stays; Back to the start, a later one (and its end
    again), and Submit sends it for review."""
    hy = "hy"
    await make_org(sessions, POSTER, language=hy, name=HOST, country="AM")
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code=hy))
    clock = FrozenClock(NOW)
    async with event_bot(settings, sessions, fake_telegram, clock):
        await _write_webinar(poster)
        preview = poster.last_text()
        clock.advance(days=18)  # 15 December
        await poster.click(tr(hy, "📨 Submit"))
        assert poster.alerts[-1] == tr(
            hy,
            "The start you gave has already passed. Use « Back to reach the start step, give "
            "a later time and submit again.",
        )
        assert poster.last_text() == preview  # the wizard stayed where it was
        for _ in range(8):  # registration, languages, countries, focus, topics, link, end
            await poster.click(tr(hy, "« Back"))
        assert tr(hy, "When does it start? Your time zone is {zone}. For example: 14.12.2026 "
                  "15:00 or 2026-12-14 15:00", zone="Asia/Yerevan") in poster.last_text()  # fmt: skip
        await poster.send("14.12.2027 15:00")
        await poster.send("14.12.2027 17:00")  # the end, asked again
        assert TITLE in poster.last_text() and "2027" in poster.last_text()
        await poster.click(tr(hy, "📨 Submit"))
        assert poster.last_text().startswith("📨")
    async with reading(sessions) as session:
        post = await session.scalar(select(Event).where(Event.posted_by == POSTER))
        assert post is not None and post.review == "pending" and post.starts_at.year == 2027
