"""What the tests of calls and offers share: a network of organisations in four countries
and their open (and closed) posts, written straight into the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot import users
from db.engine import Sessions, writing
from db.models import Event, PartnerCall
from tests.conftest import ADMIN_ID
from tests.directory_helpers import make_org
from tests.event_helpers import NOW

READER, HOST_AM, HOST_RU, HOST_KG, COLLEAGUE_HOST = 801, 802, 803, 804, 805
READER_ORG = "Цифрлық қадам"
AM_ORG = "Կանաչ Երևան"
RU_ORG = "Фонд «Надёжный берег»"
KG_ORG = "Ала-Тоо <жаштары>"


@dataclass(frozen=True)
class Posts:
    """The ids of the network's posts."""

    am_call: int  # digital, for KZ: open
    ru_internship: int  # open internship, for any country
    kg_webinar: int  # fundraising webinar for KG only
    own_call: int  # the reader's own organisation's
    closed_call: int  # closed_at set
    past_call: int  # its deadline passed
    cancelled: int  # a cancelled event
    ended: int  # an event that ended


async def network(sessions: Sessions) -> dict[str, int]:
    await users.touch_user(sessions, ADMIN_ID, "Oleg", None, is_admin=True)
    await users.set_language(sessions, ADMIN_ID, "ru")
    orgs = {
        "reader": await make_org(
            sessions, READER, language="kk", name=READER_ORG, country="KZ", can_share=["digital"]
        ),
        "am": await make_org(sessions, HOST_AM, language="hy", name=AM_ORG, country="AM"),
        "ru": await make_org(sessions, HOST_RU, language="ru", name=RU_ORG, country="RU"),
        "kg": await make_org(sessions, HOST_KG, language="ky", name=KG_ORG, country="KG"),
    }
    return orgs


def call_row(host: int, poster: int, title: str, since: datetime, **changes: Any) -> PartnerCall:
    values: dict[str, Any] = {
        "host_organisation_id": host,
        "posted_by": poster,
        "title": title,
        "description": "A project <together>.",
        "topics": ["digital"],
        "countries": ["KZ"],
        "languages": [],
        "deadline": date(2027, 3, 1),
        "time_zone": "Asia/Yerevan",
        "review": "approved",
        "reviewed_by": ADMIN_ID,
        "reviewed_at": since,
        "created_at": since - timedelta(hours=1),
    }
    values.update(changes)
    return PartnerCall(**values)


def event_row(host: int, poster: int, title: str, since: datetime, **changes: Any) -> Event:
    start = NOW + timedelta(days=20)
    values: dict[str, Any] = {
        "kind": "webinar",
        "title": title,
        "description": "Two hours.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "time_zone": "UTC",
        "link": "https://meet.example.org/x",
        "topics": [],
        "countries": [],
        "languages": [],
        "status": "published",
        "review": "approved",
        "published_at": since,
        "created_by": poster,
        "created_at": since - timedelta(hours=1),
        "host_organisation_id": host,
        "posted_by": poster,
    }
    values.update(changes)
    return Event(**values)


async def posts(sessions: Sessions, orgs: dict[str, int]) -> Posts:
    """Open and closed posts, published an hour apart (the newest last)."""
    hour = timedelta(hours=1)
    t0 = NOW - timedelta(days=2)
    async with writing(sessions) as session:
        rows: list[PartnerCall | Event] = [
            call_row(orgs["am"], HOST_AM, "Digital <tools> for villages", t0 + 5 * hour),
            event_row(
                orgs["ru"],
                HOST_RU,
                "Стажировка в Казани",
                t0 + 4 * hour,
                kind="internship",
                places=2,
                deadline=NOW + timedelta(days=10),
                topics=["management"],
            ),
            event_row(
                orgs["kg"],
                HOST_KG,
                "Фандрайзинг вебинары",
                t0 + 3 * hour,
                topics=["fundraising"],
                countries=["KG"],
            ),
            call_row(
                orgs["reader"],
                READER,
                "Біздің серіктес іздеуіміз",
                t0 + 2 * hour,
                time_zone="Asia/Almaty",
            ),
            call_row(
                orgs["am"],
                HOST_AM,
                "Closed call",
                t0 + 6 * hour,
                closed_at=NOW - hour,
                closed_reason="poster",
            ),
            call_row(orgs["am"], HOST_AM, "Past call", t0 + 7 * hour, deadline=date(2026, 11, 26)),
            event_row(
                orgs["kg"],
                HOST_KG,
                "Cancelled webinar",
                t0 + 8 * hour,
                status="cancelled",
                cancelled_at=NOW - hour,
            ),
            event_row(
                orgs["kg"],
                HOST_KG,
                "Ended webinar",
                t0 + 9 * hour,
                starts_at=NOW - 3 * hour,
                ends_at=NOW - hour,
            ),
        ]
        session.add_all(rows)
        await session.flush()
        return Posts(*(row.id for row in rows))
