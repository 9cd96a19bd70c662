"""A few hundred seeded hostile or malformed updates against the real bot: forged and
stale presses (other users' ids, admin buttons by non-admins), presses on deleted or
missing messages, group messages, users blocking the bot between a command and its
answer, huge, blank and HTML texts. Nothing is logged at ERROR (the suite's guard fails
the test otherwise), no admin-only row changes, and every private text gets an answer."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.app import create_bot, create_dispatcher
from bot.config import Settings
from bot.handlers.broadcasts.callbacks import BroadcastAction, BroadcastPress
from bot.handlers.directory.callbacks import ContactAction, ContactPress
from bot.handlers.events.callbacks import EventAdminAction, EventAdminPress
from bot.handlers.moderation.callbacks import AdminAction, AdminPress
from bot.handlers.moderation.reports import report
from bot.handlers.stats.callbacks import StatsAction, StatsPress
from bot.handlers.trust.badges import request_verification
from db.engine import Sessions, reading
from db.models import Broadcast, Event, Organisation, Report, Verification
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import make_org
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser

SEED = 20261202
UPDATES = 300
GROUP = -1001000000001
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
TEXTS = [
    "/start", "/help", "/menu", "/settings", "/events", "/mydata", "/cancel", "/profile",
    "/stats", "/verify", "/reports", "/broadcast hello", "/broadcasts", "/event_new",
    "/events_admin", "/broadcast_cancel 1", "<b>bold</b> & <script>x</script>",
    "x" * 5000, " ", "👍", "Аты-жөні «Үміт» қоры", "/unknown", "/start org_999999",
]  # fmt: skip


def _admin_presses(rng: random.Random) -> list[str]:
    item = rng.randint(0, 5)
    return [
        AdminPress(action=rng.choice(list(AdminAction)), item=item).pack(),
        StatsPress(action=rng.choice(list(StatsAction))).pack(),
        BroadcastPress(action=rng.choice([BroadcastAction.SEND, BroadcastAction.STOP])).pack(),
        EventAdminPress(action=rng.choice(list(EventAdminAction)), item=item).pack(),
    ]


def _forged_presses(rng: random.Random) -> list[str]:
    return [
        ContactPress(action=rng.choice(list(ContactAction)), request=rng.randint(0, 9)).pack(),
        "q:name:toggle:zzz", "s:card::0:0:99999:r", "m:nowhere", "garbage", "ev:going:999",
        "x" * 64,
    ]  # fmt: skip


async def _admin_rows(sessions: Sessions) -> tuple[object, ...]:
    async with reading(sessions) as session:
        return (
            await session.scalar(select(func.count()).select_from(Broadcast)),
            await session.scalar(select(func.count()).select_from(Event)),
            tuple(await session.scalars(select(Verification.status).order_by(Verification.id))),
            tuple(await session.scalars(select(Report.status).order_by(Report.id))),
            tuple(await session.scalars(select(Organisation.status).order_by(Organisation.id))),
        )


async def test_hostile_traffic_ends_quietly_and_changes_nothing_admins_own(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    rng = random.Random(SEED)
    people = [TgUser(7400 + n, f"User{n}", language_code=lang) for n, lang in
              enumerate(["ru", "kk", "hy", "ky", "en", "ru"])]  # fmt: skip
    orgs = [await make_org(sessions, p.id, name=f"Org {p.id}") for p in people[:3]]
    await request_verification(sessions, people[0].id, "12345", None, NOW)
    await report(sessions, people[1].id, orgs[0], "spam", NOW)
    before = await _admin_rows(sessions)

    bot, dp = create_bot(settings), create_dispatcher(settings, sessions)
    unanswered: list[str] = []
    async with polling(dp, bot, fake_telegram):
        for person in people:
            await Conversation(fake_telegram, person).send("/start")
        # A message of the admin's, so that non-admins can "press" its buttons.
        admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
        await admin.send("/stats")
        for n in range(UPDATES):
            person = rng.choice(people)
            kind = rng.random()
            mark = fake_telegram.mark()
            if kind < 0.4:  # a private text
                text = rng.choice(TEXTS)
                blocks = rng.random() < 0.1
                if blocks:
                    fake_telegram.blocked.add(person.id)
                update = fake_telegram.push_message(person, text)
                await fake_telegram.wait_handled(update)
                if blocks:
                    fake_telegram.blocked.discard(person.id)
                elif not fake_telegram.sent_after(mark, person.id):
                    unanswered.append(f"#{n} {person.id}: {text[:30]!r}")
            elif kind < 0.55:  # the same in a group
                text = rng.choice(TEXTS)
                update = fake_telegram.push_message(person, text, chat_id=GROUP)
                await fake_telegram.wait_handled(update)
            else:  # a press: forged, an admin's button, or on a message that is gone
                data = rng.choice(_admin_presses(rng) + _forged_presses(rng))
                own = fake_telegram.chat_messages(person.id)
                message = dict(rng.choice(own)) if own and rng.random() < 0.7 else None
                if message is None:  # deleted by the user, or never there
                    message = {"message_id": 900_000 + n, "date": 0,
                               "chat": {"id": person.id, "type": "private"}}  # fmt: skip
                update = fake_telegram.push_press_on(person, message, data)
                await fake_telegram.wait_handled(update)
    print(
        "actions",
        len(fake_telegram.actions),
        "answers",
        len(fake_telegram.callback_answers),
        "errors",
        len(fake_telegram.errors),
    )
    assert unanswered == []
    assert fake_telegram.unanswered_callbacks == []  # no button left spinning
    assert await _admin_rows(sessions) == before
    group_messages = fake_telegram.chat_messages(GROUP)
    assert group_messages == []
