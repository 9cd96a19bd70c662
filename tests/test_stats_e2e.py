"""/stats: the study's indicators for admins, as a message, a chart and a CSV table."""

from __future__ import annotations

import csv
import io

import pytest

from bot.features.stats.callbacks import StatsAction, StatsPress
from bot.taxonomy import BARRIERS, FORMATS, TOPICS
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import make_org, set_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import label, tr

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
    assert (
        tr("ru", "Have worked across borders: {n} of {total} ({share})").format(
            n=2, total=3, share="67\xa0%"
        )
        in text
    )
    # Supply / demand, the most wanted first: impact is wanted by 3 and offered by 1.
    lines = text.splitlines()
    heading = lines.index(tr("ru", "Can share / want to learn, most wanted first:"))
    assert lines[heading + 1] == f"{label('ru', TOPICS, 'impact')}: 1 / 3"
    assert f"{label('ru', TOPICS, 'fundraising')}: 2 / 0" in lines
    assert f"{label('ru', TOPICS, 'legal')}: 0 / 1" in lines  # the banned one's 1 left out
    assert f"{label('ru', FORMATS, 'webinars')}: 2" in lines
    assert f"{label('ru', BARRIERS, 'cost')}: 2" in lines

    # The chart: a PNG image with its caption in the admin's language.
    await admin.click(tr("ru", "📈 Chart: offered and wanted"))
    photo = admin.messages()[-1]
    assert photo["caption"] == tr("ru", "What organisations can share and want to learn")
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
    values = {(row["indicator"], row["code"]): row for row in rows}
    assert values[("organisations", "")]["value"] == "3"
    assert values[("cross_border", "")]["value"] == "2"
    assert values[("want_to_learn", "impact")]["value"] == "3"
    assert values[("want_to_learn", "impact")]["label"] == label("ru", TOPICS, "impact")
    assert values[("barrier", "language")]["value"] == "1"


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
