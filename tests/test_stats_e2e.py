"""/stats: the study's indicators for admins, as a message, a chart and a CSV table."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date, format_timedelta
from babel.numbers import format_percent
from openpyxl import load_workbook

from bot.config import Settings
from bot.handlers.contacts import followups, introductions
from bot.handlers.stats.callbacks import StatsAction, StatsPress
from bot.handlers.stats.texts import fit_sheet_name
from bot.languages import LANGUAGES
from bot.taxonomy import BARRIERS, COUNTRIES, EVENT_KINDS, FOCUS_AREAS, FORMATS, TOPICS
from db.engine import Sessions, writing
from db.models import Event, Notice, Rsvp
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org, set_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import label, tr, trn, trp
from tests.onboarding_script import Organisation, onboard_to_summary

pytestmark = pytest.mark.databases("sqlite", "postgresql")


async def _network(sessions: Sessions) -> None:
    """Three active organisations (two with cross-border experience) and a banned one."""
    await make_org(sessions, 8101, can_share=["fundraising"], want_learn=["impact", "legal"],
                   formats=["webinars"], cross_border=True, barriers=["cost"])  # fmt: skip
    await make_org(sessions, 8102, can_share=["impact"], want_learn=["impact"],
                   formats=["webinars", "mentoring"], cross_border=True, barriers=["cost"])  # fmt: skip
    await make_org(sessions, 8103, can_share=["fundraising"], want_learn=["impact"],
                   formats=["mentoring"], barriers=["language"])  # fmt: skip
    banned = await make_org(sessions, 8104, can_share=["legal"], want_learn=["legal"])
    await set_org(sessions, banned, status="banned")


async def test_indicators_chart_and_table(running_bot: FakeTelegram, sessions: Sessions) -> None:
    await _network(sessions)
    admin = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code="ru"))
    await admin.send("/stats")
    text = admin.last_text()
    # Banned profiles are not counted; 2 of 3 have worked across borders.
    assert headline("ru", "All organisations", 2, 3) in text
    # Supply / demand, the largest gap first, the order and the sign said on the screen:
    # impact is wanted by 3 and offered by 1.
    lines = text.splitlines()
    heading = lines.index(tr("ru", "Can share / want to learn / gap, largest gap first:"))
    assert lines[heading + 1] == tr("ru", GAP_SIGN)
    assert lines[heading + 2] == f"{label('ru', TOPICS, 'impact')}: 1 / 3 / +2"
    assert lines[heading + 3] == f"{label('ru', TOPICS, 'legal')}: 0 / 1 / +1"  # banned: out
    assert lines[heading + 4] == f"{label('ru', TOPICS, 'fundraising')}: 2 / 0 / -2"
    assert f"{label('ru', FORMATS, 'webinars')}: 2" in lines
    # Barriers: an optional question, its base said (all three named one here).
    barriers = lines.index(trn("ru", BARRIERS_BASE, BARRIERS_BASE_PLURAL, 3))
    assert lines[barriers + 1 : barriers + 3] == [
        f"{label('ru', BARRIERS, 'cost')}: 2",
        f"{label('ru', BARRIERS, 'language')}: 1",
    ]
    # A group without organisations says so, once; its view too.
    for group in ("Russia", "Other CIS countries"):
        assert tr("ru", "{place}: no organisations yet", place=tr("ru", group)) in lines
        assert [line for line in lines if line.startswith(tr("ru", group) + ":")] == [
            tr("ru", "{place}: no organisations yet", place=tr("ru", group))
        ]
    overview_id = admin.messages()[-1]["message_id"]
    await admin.click(tr("ru", "Other CIS countries"))
    assert screen(admin, overview_id) == "\n".join(
        [f"📊 {tr('ru', 'Other CIS countries')}", "", tr("ru", "No organisations here yet.")]
    )
    await admin.click(tr("ru", "« Back"))

    # The chart: a PNG image with its caption in the admin's language.
    await admin.click(tr("ru", "📈 Chart: offered and wanted"))
    photo = admin.messages()[-1]
    assert photo["caption"] == tr(
        "ru", "What organisations can share and want to learn: {place}"
    ).format(place=tr("ru", "All organisations"))
    sizes = photo["photo"]
    file_id = (sizes[-1] if isinstance(sizes, list) else sizes)["file_id"]
    assert running_bot.file_bytes(file_id).startswith(b"\x89PNG\r\n\x1a\n")

    # The table: every figure, labels in Russian, readable by the csv module.
    await admin.click(tr("ru", "📄 Table (CSV)"))
    document = admin.messages()[-1]
    assert document["document"]["file_name"] == "ngo_bridge_stats.csv"
    raw = running_bot.file_bytes(document["document"]["file_id"])
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark for spreadsheet programs
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    values = {(row["indicator"], row["code"]): row for row in rows if row["scope"] == "all"}
    assert values[("organisations", "")]["value"] == "3"
    assert values[("cross_border", "")]["value"] == "2"
    assert values[("want_to_learn", "impact")]["value"] == "3"
    assert values[("barrier", "language")]["value"] == "1"
    assert values[("named_any_barrier", "")]["value"] == "3"
    # Each row's label says what it counts, without the indicator column.
    impact = label("ru", TOPICS, "impact")
    assert values[("can_share", "impact")]["label"] == f"{impact} — {tr('ru', 'can share')}"
    assert values[("want_to_learn", "impact")]["label"] == f"{impact} — {tr('ru', 'want to learn')}"
    assert values[("gap", "impact")]["label"] == (
        f"{impact} — {tr('ru', 'gap (want to learn minus can share)')}"
    )
    assert values[("gap", "impact")]["value"] == "2"
    labels = [(row["scope"], row["label"]) for row in rows]
    assert len(set(labels)) == len(labels), "two rows of one scope share a label"


async def test_a_forged_stats_press_from_a_non_admin_is_refused(
    running_bot: FakeTelegram, sessions: Sessions
) -> None:
    await _network(sessions)
    stranger = TgUser(8199, "Eve", language_code="en")
    chat = Conversation(running_bot, stranger)
    await chat.send("/help")
    message_id = chat.messages()[-1]["message_id"]
    mark = running_bot.mark()
    press = running_bot.push_callback(
        stranger, message_id, StatsPress(action=StatsAction.TABLE).pack()
    )
    await running_bot.wait_handled(press)
    assert running_bot.sent_after(mark, stranger.id) == []  # no table
    assert running_bot.answers_for(stranger.id)[-1].text == tr(
        "en", "Only administrators can do this."
    )


GAP_SIGN = (
    "(gap = want to learn minus can share; +: more want it than can teach it, "
    "-: more can teach it than want it)"
)
KAM_SHEET = "sheet name, at most 31 characters"
BARRIERS_BASE = "Barriers they meet (of {n} organisation that named any):"
BARRIERS_BASE_PLURAL = "Barriers they meet (of {n} organisations that named any):"


def headline(language: str, place: str, k: int, n: int) -> str:
    """The study's headline line as the admin reads it (`place` already translated or a
    msgid); the share only from 5 organisations on."""
    name = tr(language, place)
    if n < 5:
        return trn(
            language,
            "{place}: {k} of {n} organisation has worked across borders",
            "{place}: {k} of {n} organisations have worked across borders",
            n,
            place=name,
            k=k,
        )
    return trn(
        language,
        "{place}: {k} of {n} organisation has worked across borders ({share})",
        "{place}: {k} of {n} organisations have worked across borders ({share})",
        n,
        place=name,
        k=k,
        share=format_percent(k / n, locale=language),
    )


def screen(chat: Conversation, message_id: int) -> str:
    """The text of one bot message as the user reads it now (after any edits)."""
    found = zip(chat.messages(), chat.texts(), strict=True)
    return next(text for message, text in found if message["message_id"] == message_id)


# The study's shape: (country, organisations, of them with cross-border experience).
STUDY = [("RU", 23, 7), ("KZ", 20, 12), ("AM", 18, 11), ("KG", 16, 10), ("BY", 3, 1)]


# Two of them are entered through the questionnaire, as their owners would.
THROUGH_QUESTIONNAIRE = {
    ("RU", 22): Organisation(name="Фонд «Мост»", country="RU", city="Казань",
                             focus_areas=["children"], can_share=["events"],
                             want_learn=["fundraising"], formats=["webinars"],
                             cross_border=None, barriers=["cost"], languages=["ru"]),
    ("KG", 0): Organisation(name="Бирдик коомдук бирикмеси", country="KG", city="Бишкек",
                            focus_areas=["children"], can_share=["events"],
                            want_learn=["impact"], formats=["webinars"],
                            cross_border=["KZ"], barriers=["cost"], languages=["ky"]),
}  # fmt: skip


async def _study(running_bot: FakeTelegram, sessions: Sessions) -> None:
    """77 organisations as in the study (23 in Russia, 7 of them across borders; 54 in
    Kazakhstan, Armenia and Kyrgyzstan, 33 across borders), 3 in Belarus; one Russian one
    not listed in the directory (still counted); a hidden and a banned one (not counted).
    Those of THROUGH_QUESTIONNAIRE answer the bot's questions, the others are saved
    directly."""
    user = 20_000
    for country, total, crossed in STUDY:
        for index in range(total):
            user += 1
            answers = THROUGH_QUESTIONNAIRE.get((country, index))
            if answers is not None:
                chat = Conversation(running_bot, TgUser(user, "Owner", language_code="ru"))
                await onboard_to_summary(chat, "ru", answers)
                await chat.click(tr("ru", "✅ Confirm"))
                continue
            org = await make_org(
                sessions,
                user,
                country=country,
                cross_border=index < crossed,
                can_share=["fundraising"] if country == "AM" else ["events"],
                want_learn=["fundraising"] if country == "RU" else ["impact"],
                barriers=["cost"] if index % 2 else [],
            )
            if country == "RU" and index == total - 2:
                await set_org(sessions, org, listed=False)
    for status in ("hidden", "banned"):
        user += 1
        org = await make_org(sessions, user, country="RU", cross_border=True)
        await set_org(sessions, org, status=status)


@pytest.mark.parametrize("language", ["ru", "hy"])
async def test_the_study_shape_per_group_and_country(
    running_bot: FakeTelegram, sessions: Sessions, language: str
) -> None:
    await _study(running_bot, sessions)
    admin = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code=language))
    await admin.send("/stats")
    lines = admin.last_text().splitlines()
    assert headline(language, "All organisations", 41, 80) in lines
    assert headline(language, "Russia", 7, 23) in lines
    assert headline(language, "Kazakhstan, Armenia and Kyrgyzstan", 33, 54) in lines
    assert headline(language, "Other CIS countries", 1, 3) in lines  # small: no share
    assert f"{label(language, COUNTRIES, 'AM')}: 18" in lines
    assert tr(language, "Focus areas:") in lines
    assert f"{label(language, FOCUS_AREAS, 'children')}: 80" in lines
    # 41 of the 80 named a barrier (cost); the others skipped the optional question.
    barriers = lines.index(trn(language, BARRIERS_BASE, BARRIERS_BASE_PLURAL, 41))
    assert lines[barriers + 1] == f"{label(language, BARRIERS, 'cost')}: 41"
    # Fundraising is wanted by the most (24) but ranks by its gap, as the header says.
    heading = lines.index(tr(language, "Can share / want to learn / gap, largest gap first:"))
    assert lines[heading + 1] == tr(language, GAP_SIGN)
    topics = lines[heading + 2 : lines.index("", heading)]
    assert [int(line.rsplit(" / ", 1)[1]) for line in topics] == [57, 5, -62]
    overview_id = admin.messages()[-1]["message_id"]

    # Russia wants fundraising, Armenia can teach it: the group's supply and demand.
    await admin.click(tr(language, "Russia"))
    assert admin.messages()[-1]["message_id"] == overview_id  # edited in place
    lines = admin.last_text().splitlines()
    assert lines.count(headline(language, "Russia", 7, 23)) == 1  # a group of one country
    assert f"{label(language, TOPICS, 'fundraising')}: 0 / 23 / +23" in lines
    assert trn(language, BARRIERS_BASE, BARRIERS_BASE_PLURAL, 12) in lines
    await admin.click(tr(language, "📈 Chart: offered and wanted"))
    assert admin.messages()[-1]["caption"] == tr(
        language, "What organisations can share and want to learn: {place}"
    ).format(place=tr(language, "Russia"))
    await admin.click(tr(language, "« Back"), message_id=overview_id)
    assert (
        headline(language, "Other CIS countries", 1, 3) in screen(admin, overview_id).splitlines()
    )

    # Other CIS countries: Belarus, then the five without organisations named once.
    await admin.click(tr(language, "Other CIS countries"))
    lines = screen(admin, overview_id).splitlines()
    assert lines[2:6] == [
        headline(language, "Other CIS countries", 1, 3),
        "",
        headline(language, label(language, COUNTRIES, "BY"), 1, 3),
        tr(language, "No organisations yet: {places}",
           places=", ".join(label(language, COUNTRIES, code)
                            for code in ("UZ", "TJ", "AZ", "MD", "TM"))),
    ]  # fmt: skip
    await admin.click(tr(language, "« Back"))

    await admin.click(tr(language, "Kazakhstan, Armenia and Kyrgyzstan"))
    lines = screen(admin, overview_id).splitlines()
    assert headline(language, "Kazakhstan, Armenia and Kyrgyzstan", 33, 54) in lines
    assert headline(language, label(language, COUNTRIES, "AM"), 11, 18) in lines
    assert f"{label(language, TOPICS, 'fundraising')}: 18 / 0 / -18" in lines
    await admin.click(tr(language, "« Back"))

    # A country: picked from the countries present, with Back to the picker.
    await admin.click(tr(language, "🌍 By country"))
    assert tr(language, "📊 Statistics of which country?") in screen(admin, overview_id)
    await admin.click(label(language, COUNTRIES, "BY"))
    lines = screen(admin, overview_id).splitlines()
    assert headline(language, label(language, COUNTRIES, "BY"), 1, 3) in lines
    await admin.click(tr(language, "« Back"))
    assert tr(language, "📊 Statistics of which country?") in screen(admin, overview_id)

    # The table: every view, zeros listed, the same figures as the message.
    await admin.click(tr(language, "« Back"))
    await admin.click(tr(language, "📄 Table (CSV)"), message_id=overview_id)
    raw = running_bot.file_bytes(admin.messages()[-1]["document"]["file_id"])
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    values = {(row["scope"], row["indicator"], row["code"]): row for row in rows}
    assert values[("group:ru", "organisations", "")]["value"] == "23"
    assert values[("group:ru", "cross_border", "")]["value"] == "7"
    assert values[("group:kam", "organisations", "")]["value"] == "54"
    assert values[("group:kam", "cross_border", "")]["value"] == "33"
    assert values[("group:kam", "cross_border", "")]["scope_label"] == tr(
        language, "Kazakhstan, Armenia and Kyrgyzstan"
    )
    assert values[("country:AM", "can_share", "fundraising")]["value"] == "18"
    assert values[("country:TM", "organisations", "")]["value"] == "0"  # zero rows listed
    assert values[("all", "barrier", "language")]["value"] == "0"
    assert values[("all", "organisations", "")]["value"] == "80"
    assert values[("all", "named_any_barrier", "")]["value"] == "41"
    assert values[("group:ru", "named_any_barrier", "")]["value"] == "12"
    for key, row in values.items():  # the message's figures, per group
        if key[1:] == ("can_share", "fundraising") and key[0].startswith("group:"):
            group = key[0].removeprefix("group:")
            assert row["value"] == str({"ru": 0, "kam": 18, "cis": 0}[group])

    # The workbook: one sheet per view, the same rows as the CSV.
    await admin.click(tr(language, "📗 Workbook (Excel)"), message_id=overview_id)
    document = admin.messages()[-1]["document"]
    assert document["file_name"] == "ngo_bridge_stats.xlsx"
    book = load_workbook(io.BytesIO(running_bot.file_bytes(document["file_id"])))
    assert book.sheetnames[:4] == [
        tr(language, "All organisations"),
        tr(language, "Russia"),
        trp(language, KAM_SHEET, "Kazakhstan, Armenia, Kyrgyzstan"),
        tr(language, "Other CIS countries"),
    ]
    assert tr(language, "Armenia") in book.sheetnames
    assert len(book.sheetnames) == 1 + 3 + len(COUNTRIES.codes) - 1 + 1  # Russia once; network
    from_book = {}
    for sheet in book.worksheets:
        rows_of_sheet = list(sheet.iter_rows(values_only=True))
        assert rows_of_sheet[0] == ("scope", "scope_label", "indicator", "code", "label", "value")
        for scope, scope_label, indicator, code, name, value in rows_of_sheet[1:]:
            from_book[(scope, indicator, code or "")] = (scope_label, name or "", value)
    for (scope, indicator, code), row in values.items():
        if indicator == "users":
            continue
        expected = (row["scope_label"], row["label"], int(row["value"]) if row["value"] else None)
        if scope == "country:RU":  # Russia is a group by itself: its sheet is the group's
            assert from_book[("group:ru", indicator, code)][1:] == expected[1:]
        else:
            assert from_book[(scope, indicator, code)] == expected
    assert from_book[("group:kam", "cross_border", "")][2] == 33
    assert from_book[("group:ru", "cross_border", "")][2] == 7


async def test_a_forged_view_gets_nothing(running_bot: FakeTelegram, sessions: Sessions) -> None:
    await _network(sessions)
    admin = TgUser(ADMIN_ID, "Admin", language_code="en")
    chat = Conversation(running_bot, admin)
    await chat.send("/stats")
    message_id = chat.messages()[-1]["message_id"]
    before = chat.last_text()
    forged = ["XX", "RU; DROP", "a" * 40, "ALL"]
    for data in [StatsPress(action=StatsAction.VIEW, view=view).pack() for view in forged]:
        press = running_bot.push_callback(admin, message_id, data)
        await running_bot.wait_handled(press)
        assert chat.last_text() == before
        assert running_bot.answers_for(admin.id)[-1].text == tr(
            "en", "This button is out of date. Please use the latest message."
        )


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
@pytest.mark.parametrize("language", sorted(LANGUAGES))
async def test_every_sheet_name_fits_excel_uncut(
    running_bot: FakeTelegram, sessions: Sessions, language: str
) -> None:
    """Excel allows 31 characters: every view's sheet is named in full, in every language."""
    await _network(sessions)
    admin = Conversation(running_bot, TgUser(ADMIN_ID, "Admin", language_code=language))
    await admin.send("/stats")
    await admin.click(tr(language, "📗 Workbook (Excel)"))
    document = admin.messages()[-1]["document"]
    book = load_workbook(io.BytesIO(running_bot.file_bytes(document["file_id"])))
    countries = [tr(language, COUNTRIES.labels[code]) for code in COUNTRIES.codes if code != "RU"]
    assert book.sheetnames == [
        tr(language, "All organisations"),
        tr(language, "Russia"),
        trp(language, KAM_SHEET, "Kazakhstan, Armenia, Kyrgyzstan"),
        tr(language, "Other CIS countries"),
        *countries,
        tr(language, "The network at work"),
    ]
    assert max(len(name) for name in book.sheetnames) <= 31


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


def test_a_sheet_name_too_long_for_excel_is_cut_at_a_word_end() -> None:
    """No view's name needs it today (test_every_sheet_name_fits_excel_uncut); a longer
    translation would lose whole words, never part of one."""
    assert fit_sheet_name("Kazakhstan, Armenia and Kyrgyzstan") == "Kazakhstan, Armenia and"
    assert fit_sheet_name("Organisations: [draft] / review") == "Organisations   draft    review"
    assert fit_sheet_name("x" * 40) == "x" * 31  # one word longer than a sheet name
