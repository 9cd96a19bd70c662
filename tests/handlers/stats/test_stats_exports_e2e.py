"""/stats' CSV and workbook carry the exchange of experience (issue 21) and the calls
arranged through the bot (issue 22), each as its own section and sheet, labels in the
admin's language, with the same figures as the network's screen: the message is rebuilt
here from the table's values and found line by line on the screen."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from babel.dates import format_timedelta
from openpyxl import load_workbook
from sqlalchemy import select

from bot.config import Settings
from bot.taxonomy import COUNTRIES
from db.engine import Sessions, writing
from db.models import ContactRequest, Meeting, Organisation
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.stats.test_stats_e2e import screen
from tests.handlers.stats.test_stats_exchange_e2e import NOW, USERS, _exchange, _kinds
from tests.i18n_helpers import label, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

KINDS = ("event", "internship", "call")


async def _calls(sessions: Sessions) -> None:
    """Calls on the two introductions `_exchange` accepted, both accepted three days ago:
    C and B (Armenia, Kazakhstan) agreed on one held yesterday; B and A (both in
    Kazakhstan) agreed on one in two days and declined another. So 3 proposed, 2 agreed,
    1 held (across: 1, 1, 1; within: 2, 1, 0), 2 days from the introduction to the call."""
    async with writing(sessions) as session:
        accepted = await session.scalars(
            select(ContactRequest).where(ContactRequest.status == "accepted")
        )
        for request in accepted.all():
            request.decided_at = NOW - timedelta(days=3)
            sender = await session.get(Organisation, request.sender_id)
            recipient = await session.get(Organisation, request.recipient_id)
            assert sender is not None and recipient is not None
            meetings: list[tuple[str, datetime | None]]
            if sender.country != recipient.country:
                meetings = [("agreed", NOW - timedelta(days=1))]
            else:
                meetings = [("agreed", NOW + timedelta(days=2)), ("declined", None)]
            for status, starts in meetings:
                session.add(Meeting(
                    request_id=request.id, proposer_org=request.sender_id,
                    invitee_org=request.recipient_id, proposed_by=USERS["A"], status=status,
                    starts_at=starts, minutes=30 if starts else None,
                    created_at=NOW - timedelta(days=2),
                ))  # fmt: skip


def _section(rows: list[dict[str, str]], scope: str) -> dict[tuple[str, str], dict[str, str]]:
    return {(row["indicator"], row["code"]): row for row in rows if row["scope"] == scope}


def _message(language: str, shared: dict[tuple[str, str], int]) -> list[str]:
    """The exchange's lines of the network's screen, written from the table's figures."""

    def kinds(code: str) -> str:
        return _kinds(language, *(shared[(f"posts_{kind}", code)] for kind in KINDS))

    lines = [tr(language, "Posted by organisations: {kinds}", kinds=kinds(""))]
    for code in ("KZ", "AM", "RU"):  # the countries with posts, most first
        lines.append(f"{label(language, COUNTRIES, code)}: {kinds(code)}")
    answers, accepted = shared[("answers", "")], shared[("accepted_answers", "")]
    across, within = shared[("answers", "across")], shared[("answers", "within")]
    lines += [
        trn(language, "{n} answer to posts, {accepted} accepted",
            "{n} answers to posts, {accepted} accepted", answers, accepted=accepted),
        trn(language, "Between two countries: {n} answer, {accepted} accepted",
            "Between two countries: {n} answers, {accepted} accepted", across,
            accepted=shared[("accepted_answers", "across")]),
        trn(language, "Within one country: {n} answer, {accepted} accepted",
            "Within one country: {n} answers, {accepted} accepted", within,
            accepted=shared[("accepted_answers", "within")]),
        trn(language, "Partner found: {found} of {n} partner call whose host was asked",
            "Partner found: {found} of {n} partner calls whose hosts were asked",
            shared[("partner_asked", "")], found=shared[("partner_found", "")]),
    ]  # fmt: skip
    return lines


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_the_exports_carry_the_exchange_and_the_calls(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, language: str
) -> None:
    await _exchange(sessions)
    await _calls(sessions)
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code=language))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await admin.send("/stats")
        overview_id = admin.messages()[-1]["message_id"]
        await admin.click(tr(language, "🤝 The network at work"))
        lines = screen(admin, overview_id).splitlines()
        await admin.click(tr(language, "« Back"), message_id=overview_id)
        await admin.click(tr(language, "📄 Table (CSV)"), message_id=overview_id)
        raw = fake_telegram.file_bytes(admin.messages()[-1]["document"]["file_id"])
        await admin.click(tr(language, "📗 Workbook (Excel)"), message_id=overview_id)
        document = admin.messages()[-1]["document"]
        book = load_workbook(io.BytesIO(fake_telegram.file_bytes(document["file_id"])))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))

    # The exchange of experience: its own section, the screen's figures.
    exchange = _section(rows, "exchange")
    assert {row["scope_label"] for row in exchange.values()} == {
        tr(language, "Exchange of experience")
    }
    shared = {key: int(row["value"]) for key, row in exchange.items()}
    heading = lines.index(tr(language, "📣 <b>Exchange of experience</b>"))
    assert lines[heading + 1 : heading + 9] == _message(language, shared)
    assert [shared[(f"posts_{kind}", "")] for kind in KINDS] == [1, 2, 3]
    assert [shared[(f"posts_{kind}", "KZ")] for kind in KINDS] == [1, 1, 1]
    assert [shared[(f"posts_{kind}", "AM")] for kind in KINDS] == [0, 1, 1]
    assert [shared[(f"posts_{kind}", "RU")] for kind in KINDS] == [0, 0, 1]
    assert shared[("posts_call", "TM")] == 0  # every country listed, zeros included
    assert [shared[("answers", code)] for code in ("", "across", "within")] == [4, 3, 1]
    assert [shared[("accepted_answers", code)] for code in ("", "across", "within")] == [2, 1, 1]
    assert (shared[("partner_found", "")], shared[("partner_asked", "")]) == (1, 2)
    internships = tr(language, "Internships posted")
    assert exchange[("posts_internship", "AM")]["label"] == (
        f"{internships} — {label(language, COUNTRIES, 'AM')}"
    )
    assert exchange[("accepted_answers", "across")]["label"] == (
        f"{tr(language, 'Accepted answers')} — {tr(language, 'Between two countries')}"
    )
    labels = [row["label"] for row in exchange.values()]
    assert len(set(labels)) == len(labels), "two rows of the exchange share a label"

    # The calls arranged: their own section, the screen's figures.
    calls = _section(rows, "calls")
    assert {row["scope_label"] for row in calls.values()} == {tr(language, "Calls through the bot")}
    stages = {key: row["value"] for key, row in calls.items()}
    figures = {
        indicator: {
            stage: int(stages[(indicator, stage)]) for stage in ("proposed", "agreed", "held")
        }
        for indicator in ("calls", "calls_between_two_countries", "calls_within_one_country")
    }
    assert figures["calls"] == {"proposed": 3, "agreed": 2, "held": 1}
    assert figures["calls_between_two_countries"] == {"proposed": 1, "agreed": 1, "held": 1}
    assert figures["calls_within_one_country"] == {"proposed": 2, "agreed": 1, "held": 0}
    assert tr(language, "📅 Calls: {proposed} proposed, {agreed} agreed, {held} held",
              **figures["calls"]) in lines  # fmt: skip
    assert tr(language, "Between two countries: {proposed} proposed, {agreed} agreed, {held} held",
              **figures["calls_between_two_countries"]) in lines  # fmt: skip
    assert tr(language, "Within one country: {proposed} proposed, {agreed} agreed, {held} held",
              **figures["calls_within_one_country"]) in lines  # fmt: skip
    days = float(stages[("median_days_to_call", "")])
    assert days == 2.0
    time = format_timedelta(timedelta(days=days), locale=language, threshold=1.5)
    assert tr(language, "Median time from an introduction to its call: {time}", time=time) in lines
    assert calls[("calls", "held")]["label"] == f"{tr(language, 'Calls')} — {tr(language, 'Held')}"

    # The workbook: a sheet for each, named in the admin's language, the table's rows.
    assert book.sheetnames[-3:] == [
        tr(language, "The network at work"),
        tr(language, "Calls through the bot"),
        tr(language, "Exchange of experience"),
    ]
    for scope, name in (("exchange", "Exchange of experience"), ("calls", "Calls through the bot")):
        sheet = list(book[tr(language, name)].iter_rows(values_only=True))
        assert sheet[0] == ("scope", "scope_label", "indicator", "code", "label", "value")
        assert [
            (indicator, code or "", row_label, value)
            for _scope, _name, indicator, code, row_label, value in sheet[1:]
        ] == [
            (row["indicator"], row["code"], row["label"], float(row["value"]))
            for row in rows
            if row["scope"] == scope
        ]
