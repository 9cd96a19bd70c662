"""/stats: the network at work, introductions and their answers week by week, and the median
answer in the table."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date, format_timedelta
from openpyxl import load_workbook

from bot.config import Settings
from bot.handlers.contacts import followups, introductions
from bot.taxonomy import EVENT_KINDS
from db.engine import Sessions, writing
from db.models import Event, Notice, Rsvp
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org, set_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.stats.test_stats_e2e import screen
from tests.i18n_helpers import label, tr

pytestmark = pytest.mark.databases("sqlite", "postgresql")


NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # a Friday: this week began on Monday 23


async def _introductions(sessions: Sessions) -> dict[str, int]:
    """Four organisations (two in Kazakhstan, one each in Russia and Armenia) created in
    three different weeks; four requests (one within Kazakhstan, three across borders),
    answered after 2, 4 and 6 hours or not at all; two follow-up answers; a webinar
    announced to two users, one attending."""
    ids = {"A": 8201, "B": 8202, "C": 8203, "D": 8204}
    countries = {"A": "KZ", "B": "KZ", "C": "RU", "D": "AM"}
    created = {"A": NOW - timedelta(weeks=5), "B": NOW - timedelta(weeks=5),
               "C": NOW - timedelta(weeks=1), "D": NOW - timedelta(days=1)}  # fmt: skip
    orgs: dict[str, int] = {}
    for key, user in ids.items():
        orgs[key] = await make_org(sessions, user, country=countries[key])
        await set_org(sessions, orgs[key], created_at=created[key])
    plan = [  # sender, recipient, sent, answer (accept?, after hours) or None
        ("A", "B", NOW - timedelta(weeks=3), (True, 2)),
        ("C", "A", NOW - timedelta(days=6), (False, 4)),
        ("D", "B", NOW - timedelta(hours=20), None),
        ("D", "C", NOW - timedelta(hours=23), (True, 6)),
    ]
    requests = []
    for sender, recipient, sent, answer in plan:
        made = await introductions.request_contact(sessions, ids[sender], orgs[recipient], sent)
        requests.append(made.request_id)
        if answer is not None:
            accept, hours = answer
            await introductions.decide(sessions, ids[recipient], made.request_id,
                                       accept=accept, now=sent + timedelta(hours=hours))  # fmt: skip
    await followups.claim_due(sessions, NOW + timedelta(days=60))
    assert await followups.answer(sessions, ids["A"], requests[0], "project", NOW)
    assert await followups.answer(sessions, ids["D"], requests[3], "nothing", NOW)
    async with writing(sessions) as session:
        event = Event(kind="webinar", title="Webinar", description="…", starts_at=NOW,
                      ends_at=NOW + timedelta(hours=1), time_zone="UTC", status="published",
                      created_by=ADMIN_ID, published_at=NOW - timedelta(days=2))  # fmt: skip
        session.add(event)
        await session.flush()
        for user, state in ((ids["A"], "sent"), (ids["B"], "sent"), (ids["C"], "blocked")):
            session.add(Notice(event_id=event.id, user_id=user, kind="announce",
                               due_at=NOW, state=state))  # fmt: skip
        session.add(Rsvp(event_id=event.id, user_id=ids["A"], going=True))
        session.add(Rsvp(event_id=event.id, user_id=ids["B"], going=False))
    return orgs


@pytest.mark.parametrize("language", ["en", "kk"])
async def test_the_network_at_work_and_its_weeks(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, language: str
) -> None:
    await _introductions(sessions)
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code=language))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await admin.send("/stats")
        overview_id = admin.messages()[-1]["message_id"]
        # One name for a request nobody answered yet, here and on the network's screen.
        unanswered = tr(language, "Unanswered").lower()
        status_line = tr(language, "accepted: {accepted}, declined: {declined}, "
                         "unanswered: {pending}", accepted=2, declined=1, pending=1)  # fmt: skip
        assert status_line in admin.last_text().splitlines()
        assert unanswered in status_line
        await admin.click(tr(language, "🤝 The network at work"))
        lines = screen(admin, overview_id).splitlines()
        assert unanswered in lines[2]
        assert tr(
            language,
            "Contact requests: {sent} sent, {accepted} accepted, {declined} declined, "
            "{pending} unanswered",
            sent=4, accepted=2, declined=1, pending=1,
        ) in lines  # fmt: skip
        time = format_timedelta(4 * 3600, locale=language, threshold=1.5)
        assert tr(language, "Median time to an answer: {time}", time=time) in lines
        assert tr(language, "Between two countries: {sent} sent, {accepted} accepted",
                  sent=3, accepted=1) in lines  # fmt: skip
        assert tr(language, "Within one country: {sent} sent, {accepted} accepted",
                  sent=1, accepted=1) in lines  # fmt: skip
        assert f"{tr(language, 'A joint project')}: 1" in lines
        assert f"{tr(language, 'Nothing yet')}: 1" in lines
        assert f"{label(language, EVENT_KINDS, 'webinar')}: 1 / 2 / 1" in lines
        # Twelve weeks from Monday 31 August to Monday 23 November, oldest first.
        heading = lines.index(
            tr(language, "Week by week, from Monday (new organisations / requests / accepted):")
        )
        weeks = lines[heading + 1 :]
        assert len(weeks) == 12
        monday = datetime(2026, 11, 23, tzinfo=UTC)
        expected = {0: "1 / 2 / 1", 1: "1 / 1 / 0", 3: "0 / 1 / 1", 5: "2 / 0 / 0", 11: "0 / 0 / 0"}
        for back, figures in expected.items():
            day = format_date(monday - timedelta(weeks=back), format="d MMM", locale=language)
            assert weeks[11 - back] == f"{day}: {figures}", weeks

        await admin.click(tr(language, "📈 Chart: week by week"))
        photo = admin.messages()[-1]
        assert photo["caption"] == tr(
            language, "New organisations, contact requests and acceptances per week"
        )
        sizes = photo["photo"]
        file_id = (sizes[-1] if isinstance(sizes, list) else sizes)["file_id"]
        assert fake_telegram.file_bytes(file_id).startswith(b"\x89PNG")
        await admin.click(tr(language, "« Back"), message_id=overview_id)
        assert tr(language, "📊 <b>NGO Bridge statistics</b>") in screen(admin, overview_id)

        # The table and the workbook carry the same figures, zeros listed.
        await admin.click(tr(language, "📄 Table (CSV)"), message_id=overview_id)
        raw = fake_telegram.file_bytes(admin.messages()[-1]["document"]["file_id"])
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        net = {(row["indicator"], row["code"]): row for row in rows if row["scope"] == "network"}
        assert net[("contact_requests", "sent")]["value"] == "4"
        assert net[("contact_requests", "pending")]["value"] == "1"
        assert net[("contact_requests", "pending")]["label"] == (
            f"{tr(language, 'Contact requests')} — {tr(language, 'Unanswered')}"
        )
        assert net[("requests_within_one_country", "pending")]["label"] == (
            f"{tr(language, 'Within one country')} — {tr(language, 'Unanswered')}"
        )
        week = tr(
            language,
            "week from {date}",
            date=format_date(NOW - timedelta(days=4), format="d MMM", locale=language),
        )
        assert net[("weekly_acceptances", "2026-11-23")]["label"] == (
            f"{tr(language, 'Accepted')} — {week}"
        )
        labels = [row["label"] for row in net.values()]
        assert len(set(labels)) == len(labels), "two rows of the network share a label"
        assert net[("median_answer_hours", "")]["value"] == "4.0"
        assert net[("requests_between_two_countries", "sent")]["value"] == "3"
        assert net[("requests_within_one_country", "accepted")]["value"] == "1"
        assert net[("introduction_outcome", "project")]["value"] == "1"
        assert net[("introduction_outcome", "internship")]["value"] == "0"
        assert net[("events_announced", "webinar")]["value"] == "2"
        assert net[("events_published", "course")]["value"] == "0"
        assert net[("weekly_new_requests", "2026-11-23")]["value"] == "2"
        assert net[("weekly_acceptances", "2026-11-02")]["value"] == "1"
        await admin.click(tr(language, "📗 Workbook (Excel)"), message_id=overview_id)
        document = admin.messages()[-1]["document"]
        book = load_workbook(io.BytesIO(fake_telegram.file_bytes(document["file_id"])))
        sheet = book[tr(language, "The network at work")[:31]]
        from_book = {
            (indicator, code or ""): value
            for _scope, _name, indicator, code, _label, value in sheet.iter_rows(
                min_row=2, values_only=True
            )
        }
        assert from_book == {key: float(row["value"]) for key, row in net.items()}


@pytest.mark.databases("sqlite")
async def test_the_median_answer_in_the_table(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    """Empty while nothing was answered; an answer after 10 seconds is not 0 hours."""
    sender = await make_org(sessions, 8301)
    recipient = await make_org(sessions, 8302)
    sent = NOW - timedelta(hours=1)
    made = await introductions.request_contact(sessions, 8301, recipient, sent)
    assert sender != recipient
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))

    async def median() -> str:
        await admin.click(tr("en", "📄 Table (CSV)"), message_id=overview_id)
        raw = fake_telegram.file_bytes(admin.messages()[-1]["document"]["file_id"])
        rows = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
        return next(row["value"] for row in rows if row["indicator"] == "median_answer_hours")

    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await admin.send("/stats")
        overview_id = admin.messages()[-1]["message_id"]
        assert await median() == ""
        await introductions.decide(
            sessions, 8302, made.request_id, accept=True, now=sent + timedelta(seconds=10)
        )
        assert await median() == "0.0028"  # 10 s = 0.0028 h
