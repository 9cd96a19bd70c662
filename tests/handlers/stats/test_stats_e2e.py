"""/stats: the study's indicators for admins, as a message, a chart and a CSV table (the network
at work, introductions week by week, is test_stats_network_e2e)."""

from __future__ import annotations

import csv
import io

import pytest
from babel.numbers import format_percent
from openpyxl import load_workbook

from bot.handlers.stats.callbacks import StatsAction, StatsPress
from bot.handlers.stats.exports import fit_sheet_name
from bot.languages import LANGUAGES
from bot.taxonomy import BARRIERS, COUNTRIES, FOCUS_AREAS, FORMATS, TOPICS
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import make_org, set_org
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
    # Russia once; the network, the calls and the exchange of experience
    assert len(book.sheetnames) == 1 + 3 + len(COUNTRIES.codes) - 1 + 3
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
        tr(language, "Calls through the bot"),
        tr(language, "Exchange of experience"),
    ]
    assert max(len(name) for name in book.sheetnames) <= 31


def test_a_sheet_name_too_long_for_excel_is_cut_at_a_word_end() -> None:
    """No view's name needs it today (test_every_sheet_name_fits_excel_uncut); a longer
    translation would lose whole words, never part of one."""
    assert fit_sheet_name("Kazakhstan, Armenia and Kyrgyzstan") == "Kazakhstan, Armenia and"
    assert fit_sheet_name("Organisations: [draft] / review") == "Organisations   draft    review"
    assert fit_sheet_name("x" * 40) == "x" * 31  # one word longer than a sheet name
