"""Editing a published post (issue 21): its poster opens it (PostPress EDIT, as the "Our
posts" screen will offer) at its preview; a new start keeps it published and the one who
said they would attend is told; a new description sends it back to review, unpublished
until an admin approves it again (not announced twice). Another organisation's member and
a colleague who neither posted it nor owns the organisation are refused. A published
partner call changed but in its text stays published; its new title sends it to review."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

import pytest
from sqlalchemy import func, select

from bot import users
from bot.config import Settings
from bot.handlers.events import publishing, rsvps
from bot.handlers.events.announcer import deliver_due
from bot.handlers.posts import audience, calls, posting, review
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.handlers.posts.posting import PostRefusal, PostRefused
from bot.handlers.team import membership
from db.engine import Sessions, reading
from db.models import Event, Notice, PartnerCall, PartnerCallNotice
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import KZ_EN, KZ_RU, NOW, event_bot, subscribers, texts_of, webinar
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER, COLLEAGUE, OTHER = 750, 751, 752
HOST = "Կանաչ Երևան"


async def _published(
    sessions: Sessions, now: datetime = NOW, *, in_moscow: int | None = None
) -> tuple[int, int]:
    """A webinar the Yerevan NGO posted, approved and published at `now` (its id, and to
    how many it was announced; the subscriber `in_moscow` chose that zone); KZ_RU will
    attend."""
    await subscribers(sessions)
    if in_moscow is not None:
        await users.set_zone(sessions, in_moscow, "Europe/Moscow")
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ru")
    await make_org(sessions, POSTER, language="hy", name=HOST, country="AM")
    token, _ = await membership.create_invite(sessions, POSTER, NOW)
    await users.touch_user(sessions, COLLEAGUE, "Irina", None, is_admin=False)
    await membership.join(sessions, COLLEAGUE, token, NOW)
    await make_org(sessions, OTHER, language="ru", name="Другая", country="KZ")
    done = await posting.submit(
        sessions, POSTER, webinar().dump(), now,
        editing=None, review_mode="all", default_language="ru",
    )  # fmt: skip
    post = done.event.id
    await review.decide(sessions, {ADMIN_ID}, ADMIN_ID, post, now, approve=True)
    published = await publishing.publish(sessions, post, now, "ru")
    assert published is not None and published.queued > 0
    await rsvps.rsvp(sessions, post, KZ_RU, True, now)
    return post, published.queued


async def _press_edit(fake: FakeTelegram, who: Conversation, post: int) -> None:
    await who.send("/menu")
    press = PostPress(action=PostAction.EDIT, item=post).pack()
    update_id = fake.push_callback(who.user, who.messages()[-1]["message_id"], press)
    await fake.wait_handled(update_id)


async def _new_description(fake: FakeTelegram, poster: Conversation, post: int) -> None:
    """The poster opens the post, goes back to its description (9 steps from the preview),
    types a new one and submits it: back to review."""
    await _press_edit(fake, poster, post)
    for _ in range(9):
        await poster.click(tr("hy", "« Back"))
    await poster.send("Three hours on indicators, with exercises.")
    await poster.click(tr("hy", "📨 Submit"))
    assert poster.last_text().startswith("📨")


async def test_a_published_post_edited_in_time_stays_published_and_in_text_goes_to_review(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    post, queued = await _published(sessions)
    hy = "hy"
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code=hy))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    other = Conversation(fake_telegram, TgUser(OTHER, "Ivan", language_code="ru"))
    irina = Conversation(fake_telegram, TgUser(COLLEAGUE, "Irina", language_code="en"))
    changed = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID})})
    async with event_bot(changed, sessions, fake_telegram, FrozenClock(NOW)) as runtime:
        await deliver_due(runtime)  # the announcements of the publication
        # Forged: another organisation's member, and a colleague who is no owner.
        await _press_edit(fake_telegram, other, post)
        assert other.alerts[-1] == tr("ru", "This post cannot be edited now.")
        await _press_edit(fake_telegram, irina, post)
        assert irina.alerts[-1] == (
            "Only the member who posted it and the organisation's owners can do this."
        )
        # The poster: its preview, Back to the start (8 steps back), a new start.
        await _press_edit(fake_telegram, poster, post)
        assert "Measuring impact <for real>" in poster.last_text()
        for _ in range(8):
            await poster.click(tr(hy, "« Back"))
        start = (
            "When does it start? Your time zone is {zone}. "
            "For example: 14.12.2026 15:00 or 2026-12-14 15:00"
        )
        assert tr(hy, start, zone="Asia/Yerevan") in poster.last_text()
        await poster.send("14.12.2026 18:00")  # 14:00 UTC, before the end: the preview again
        await poster.click(tr(hy, "📨 Submit"))
        assert poster.last_text() == tr(
            hy,
            "💾 {title} is changed and stays published. Those who said they would attend are told.",
            title=escape(tr(hy, "“{name}”", name=escape("Measuring impact <for real>"))),
        )
        async with reading(sessions) as session:
            row = await session.get(Event, post)
            assert row is not None and row.status == "published" and row.review == "approved"
            assert row.starts_at == datetime(2026, 12, 14, 14, 0, tzinfo=UTC)
        await deliver_due(runtime)
        [told] = [t for t in texts_of(fake_telegram, KZ_RU) if t.startswith("✏️")]
        assert "Measuring impact <for real>" in told
        # A new description: back to review, unpublished meanwhile.
        await _new_description(fake_telegram, poster, post)
        async with reading(sessions) as session:
            row = await session.get(Event, post)
            assert row is not None and (row.status, row.review) == ("draft", "pending")
        assert "Three hours on indicators" in oleg.last_text()
        await oleg.click(tr("ru", "✅ Approve"))
        async with reading(sessions) as session:
            row = await session.get(Event, post)
            assert row is not None and (row.status, row.review) == ("published", "approved")
            announced = await session.scalar(
                select(func.count()).where(Notice.event_id == post, Notice.kind == "announce")
            )
        assert await deliver_due(runtime) == 0  # announced once, not again
    assert announced == queued  # at the first publication only


async def test_a_published_partner_call_edited_stays_published_unless_its_text_changed(
    sessions: Sessions,
) -> None:
    await make_org(sessions, POSTER, language="hy", name=HOST, country="AM")
    await make_org(sessions, OTHER, language="ru", name="Другая", country="KZ")
    answers: dict[str, object] = {
        "title": "Open data", "description": "A project on open data.", "topics": [],
        "countries": [], "deadline": "2027-03-01", "programme": None, "languages": [],
    }  # fmt: skip
    call, _ = await calls.submit(sessions, POSTER, answers, "Asia/Yerevan", NOW)
    await review.decide(sessions, {ADMIN_ID}, ADMIN_ID, call.id, NOW, approve=True, kind="call")
    with pytest.raises(PostRefused) as refused:  # another organisation's member
        await calls.editable(sessions, OTHER, call.id, NOW)
    assert refused.value.reason is PostRefusal.NOT_YOURS
    kept = {**answers, "programme": "Erasmus+", "deadline": "2027-04-01"}
    edited, how = await calls.submit(sessions, POSTER, kept, "Asia/Yerevan", NOW, editing=call.id)
    assert (edited.id, how, edited.review) == (call.id, "kept", "approved")
    retitled = {**kept, "title": "Open data for cities"}
    edited, how = await calls.submit(
        sessions, POSTER, retitled, "Asia/Yerevan", NOW, editing=call.id
    )
    assert (how, edited.review) == ("review", "pending")
    async with reading(sessions) as session:
        row = await session.get(PartnerCall, call.id)
        assert row is not None and row.programme == "Erasmus+" and row.reviewed_by is None


async def test_a_published_call_given_new_countries_is_queued_again_for_whom_it_now_suits(
    sessions: Sessions,
) -> None:
    await make_org(sessions, POSTER, language="hy", name=HOST, country="AM")
    await make_org(sessions, OTHER, language="ru", name="Другая", country="KZ")
    answers: dict[str, object] = {
        "title": "Open data", "description": "A project on open data.", "topics": [],
        "countries": ["AM"], "deadline": "2027-03-01", "programme": None, "languages": [],
    }  # fmt: skip
    call, _ = await calls.submit(sessions, POSTER, answers, "Asia/Yerevan", NOW)
    await review.decide(sessions, {ADMIN_ID}, ADMIN_ID, call.id, NOW, approve=True, kind="call")
    while await audience.expand(sessions, call.id, NOW) is not None:
        pass  # queued whole: nobody in Armenia but the host

    async def notices() -> list[int]:
        async with reading(sessions) as session:
            found = await session.scalars(
                select(PartnerCallNotice.user_id).where(PartnerCallNotice.call_id == call.id)
            )
            return list(found)

    assert await notices() == []
    programme = {**answers, "programme": "Erasmus+"}  # whom it suits unchanged
    await calls.submit(sessions, POSTER, programme, "Asia/Yerevan", NOW, editing=call.id)
    assert await audience.expand(sessions, call.id, NOW) is None
    wider = {**programme, "countries": ["AM", "KZ"]}
    _, how = await calls.submit(sessions, POSTER, wider, "Asia/Yerevan", NOW, editing=call.id)
    assert how == "kept"
    while await audience.expand(sessions, call.id, NOW) is not None:
        pass
    assert await notices() == [OTHER]


EVENING = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # 20:00 in Moscow, 22:00 in Almaty


def _announced(fake: FakeTelegram, user_id: int) -> list[str]:
    return [t for t in texts_of(fake, user_id) if "Measuring impact <for real>" in t]


async def test_announcements_waiting_for_the_morning_survive_a_return_to_review(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """Published at 22:00 in Almaty: KZ_EN (in Moscow) gets it at once, KZ_RU's waits for
    09:00. The poster's new description sends it back to review before then; the morning
    passes (nothing is sent, and nothing is lost); approved again, KZ_RU gets it (with the
    new description) once, and KZ_EN not a second time."""
    post, queued = await _published(sessions, EVENING, in_moscow=KZ_EN)
    poster = Conversation(fake_telegram, TgUser(POSTER, "Ani", language_code="hy"))
    oleg = Conversation(fake_telegram, TgUser(ADMIN_ID, "Oleg", language_code="ru"))
    clock = FrozenClock(EVENING)
    changed = settings.model_copy(update={"admin_ids": frozenset({ADMIN_ID})})
    async with event_bot(changed, sessions, fake_telegram, clock) as runtime:
        assert await deliver_due(runtime) == 1  # KZ_EN; KZ_RU's waits for the morning
        clock.advance(hours=1)
        await _new_description(fake_telegram, poster, post)
        clock.advance(hours=11)  # 10:00 in Almaty, still in review
        assert await deliver_due(runtime) == 0
        assert _announced(fake_telegram, KZ_RU) == []
        await oleg.click(tr("ru", "✅ Approve"))
        assert await deliver_due(runtime) == queued - 1  # those in Almaty, KZ_RU among them
        assert await deliver_due(runtime) == 0
    [got] = _announced(fake_telegram, KZ_RU)
    assert "Three hours on indicators, with exercises." in got
    assert len(_announced(fake_telegram, KZ_EN)) == 1
    async with reading(sessions) as session:
        states = (
            await session.scalars(
                select(Notice.state).where(Notice.event_id == post, Notice.kind == "announce")
            )
        ).all()
    assert states == ["sent"] * queued
