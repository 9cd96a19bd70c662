"""The rules of posts without the chat: who may decide and edit, the first decision
counting, and an approval interrupted before publishing (the scheduler publishes it)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import users
from bot.config import Settings
from bot.handlers.events import listings, publishing
from bot.handlers.events.announcer import deliver_due
from bot.handlers.posts import posting, review
from bot.handlers.posts.posting import PostRefusal, PostRefused
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.directory_helpers import FrozenClock, make_org
from tests.event_helpers import KZ_RU, NOW, RU_RU, event_bot, subscribers, webinar
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.databases("sqlite", "postgresql")

POSTER, OTHER, SECOND_ADMIN = 700, 710, 9002
ADMINS = frozenset({ADMIN_ID, SECOND_ADMIN})


async def _posted(sessions: Sessions) -> int:
    await make_org(sessions, POSTER, language="hy", name="Կանաչ Երևան", country="AM")
    done = await posting.submit(
        sessions, POSTER, webinar().dump(), NOW,
        editing=None, review_mode="all", default_language="ru",
    )  # fmt: skip
    assert done.event.review == "pending" and not done.direct
    return done.event.id


async def test_only_admins_decide_once_and_only_the_host_edits_a_rejected_post(
    sessions: Sessions,
) -> None:
    post = await _posted(sessions)
    await make_org(sessions, OTHER, language="ru", name="Другая", country="KZ")
    await users.touch_user(sessions, SECOND_ADMIN, "Anna", None, is_admin=True)
    with pytest.raises(PostRefused) as refused:
        await review.decide(sessions, ADMINS, OTHER, post, NOW, approve=True)
    assert refused.value.reason is PostRefusal.NOT_ADMIN
    with pytest.raises(PostRefused):  # a reason that is not one of the list
        await review.decide(sessions, ADMINS, ADMIN_ID, post, NOW, approve=False, reason="rude")
    with pytest.raises(PostRefused) as refused:  # not rejected yet: nothing to edit
        await posting.editable(sessions, POSTER, post, NOW)
    assert refused.value.reason is PostRefusal.NOT_YOURS
    decision = await review.decide(
        sessions, ADMINS, SECOND_ADMIN, post, NOW, approve=False, reason="duplicate", note="x"
    )
    assert decision.members == ((POSTER, "hy"),) and decision.admin_name == "Anna"
    with pytest.raises(PostRefused) as refused:
        await review.decide(sessions, ADMINS, ADMIN_ID, post, NOW, approve=True)
    assert (refused.value.reason, refused.value.by) == (PostRefusal.DECIDED, "Anna")
    with pytest.raises(PostRefused) as refused:
        await review.decide(sessions, ADMINS, SECOND_ADMIN, post, NOW, approve=True)
    assert refused.value.reason is PostRefusal.YOU_DECIDED
    with pytest.raises(PostRefused) as refused:  # another organisation's member
        await posting.editable(sessions, OTHER, post, NOW)
    assert refused.value.reason is PostRefusal.NOT_YOURS
    assert (await posting.editable(sessions, POSTER, post, NOW)).id == post


async def test_an_approval_interrupted_before_publishing_is_published_by_the_scheduler(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await subscribers(sessions)  # two in Kazakhstan want a webinar on impact
    post = await _posted(sessions)
    await review.decide(sessions, ADMINS, ADMIN_ID, post, NOW, approve=True)
    # The process died here, before publishing: the next due run publishes it.
    async with event_bot(settings, sessions, fake_telegram, FrozenClock(NOW)) as runtime:
        assert await deliver_due(runtime) == 2
        assert await deliver_due(runtime) == 0


async def test_five_posts_waiting_for_review_are_the_most_an_organisation_may_have(
    sessions: Sessions,
) -> None:
    first = await _posted(sessions)
    for n in range(posting.WAITING_MAX - 1):  # each its own text (a repeat is refused)
        await posting.submit(
            sessions, POSTER, webinar(title=f"Impact, part {n + 2}").dump(), NOW,
            editing=None, review_mode="all", default_language="ru",
        )  # fmt: skip
    with pytest.raises(PostRefused) as refused:
        await posting.submit(
            sessions, POSTER, webinar(title="Impact, part 6").dump(), NOW,
            editing=None, review_mode="all", default_language="ru",
        )  # fmt: skip
    assert refused.value.reason is PostRefusal.TOO_MANY
    # A decision frees a place.
    await review.decide(sessions, ADMINS, ADMIN_ID, first, NOW, approve=False, reason="other")
    again = await posting.submit(
        sessions, POSTER, webinar(title="Impact, part 6").dump(), NOW,
        editing=None, review_mode="all", default_language="ru",
    )  # fmt: skip
    assert again.event.review == "pending"


async def test_the_weekly_digest_does_not_bring_an_organisation_its_own_post(
    sessions: Sessions,
) -> None:
    await subscribers(sessions)
    await make_org(sessions, POSTER, language="hy", name="Կանաչ Երևան", country="AM")
    done = await posting.submit(
        sessions, POSTER, webinar(countries=()).dump(), NOW,  # everywhere, Armenia too
        editing=None, review_mode="all", default_language="ru",
    )  # fmt: skip
    await review.decide(sessions, ADMINS, ADMIN_ID, done.event.id, NOW, approve=True)
    assert await publishing.publish(sessions, done.event.id, NOW, "ru") is not None
    [(event, audience)] = await listings.recent(sessions, NOW - timedelta(days=7), NOW, "ru")
    assert event.host == "Կանաչ Երևան"
    assert KZ_RU in audience and RU_RU in audience and POSTER not in audience
