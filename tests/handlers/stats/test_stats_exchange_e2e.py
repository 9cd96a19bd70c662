"""/stats, the network at work: the exchange of experience (issue 21) — organisations'
posts by kind and by the host's country, the answers to them, accepted or not, between two
countries or within one, and the partner calls that found a partner, of those asked."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config import Settings
from bot.taxonomy import COUNTRIES
from db.engine import Sessions, writing
from db.models import ContactRequest, Event, PartnerCall, PostAnswer
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.handlers.stats.test_stats_e2e import screen
from tests.i18n_helpers import label, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
USERS = {"A": 8401, "B": 8402, "C": 8403, "D": 8404}
COUNTRY = {"A": "KZ", "B": "KZ", "C": "AM", "D": "RU"}


def _event(org: int, kind: str, *, published: bool = True) -> Event:
    return Event(
        kind=kind, title=f"{kind} of {org}", description="…", starts_at=NOW + timedelta(days=9),
        ends_at=NOW + timedelta(days=10), time_zone="UTC", created_by=USERS["A"],
        status="published" if published else "draft", host_organisation_id=org,
        published_at=NOW - timedelta(days=1) if published else None,
        review="approved" if published else "pending",
    )  # fmt: skip


def _call(org: int, review: str = "approved", found: bool | None = None) -> PartnerCall:
    return PartnerCall(
        host_organisation_id=org, posted_by=USERS["A"], title="A partner", description="…",
        topics=["fundraising"], deadline=date(2027, 3, 1), time_zone="UTC", review=review,
        partner_found=found,
    )  # fmt: skip


async def _exchange(sessions: Sessions) -> None:
    """Four organisations (two in Kazakhstan, one in Armenia, one in Russia). Published:
    A's webinar and internship, C's internship, the partner calls of B, C (no partner
    found) and D (found); not counted: C's internship waiting for review and A's call
    waiting too. Answers: B to A's internship (within Kazakhstan, accepted), C to B's call
    (across, its contact request accepted), D to C's internship (across, declined), A to
    D's call (across, unanswered)."""
    orgs = {
        key: await make_org(sessions, user, country=COUNTRY[key]) for key, user in USERS.items()
    }
    async with writing(sessions) as session:
        internship_a, internship_c = (
            _event(orgs["A"], "internship"),
            _event(orgs["C"], "internship"),
        )
        call_b, call_d = _call(orgs["B"]), _call(orgs["D"], found=True)
        session.add_all([
            _event(orgs["A"], "webinar"), internship_a, internship_c,
            _event(orgs["C"], "internship", published=False), call_b, _call(orgs["C"], found=False),
            call_d, _call(orgs["A"], review="pending"),
        ])  # fmt: skip
        await session.flush()
        answers = [  # who answers, whose post, the post, its kind, answer, contact request
            ("B", "A", internship_a.id, "internship", "accepted", "accepted"),
            ("C", "B", call_b.id, "call", "pending", "accepted"),
            ("D", "C", internship_c.id, "internship", "declined", "declined"),
            ("A", "D", call_d.id, "call", "pending", "pending"),
        ]
        for sender, host, post, kind, state, status in answers:
            request = ContactRequest(sender_id=orgs[sender], recipient_id=orgs[host],
                                     status=status, created_at=NOW)  # fmt: skip
            session.add(request)
            await session.flush()
            session.add(PostAnswer(
                kind=kind, post_id=post, host_organisation_id=orgs[host],
                organisation_id=orgs[sender], user_id=USERS[sender], message="We can help",
                request_id=request.id, state=state, created_at=NOW,
            ))  # fmt: skip


def _kinds(language: str, events: int, internships: int, calls: int) -> str:
    return ", ".join((
        trn(language, "{n} event", "{n} events", events),
        trn(language, "{n} internship", "{n} internships", internships),
        trn(language, "{n} partner call", "{n} partner calls", calls),
    ))  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_the_exchange_of_experience(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, language: str
) -> None:
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code=language))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock(NOW)):
        await admin.send("/stats")
        overview_id = admin.messages()[-1]["message_id"]
        await admin.click(tr(language, "🤝 The network at work"))
        lines = screen(admin, overview_id).splitlines()
        heading = lines.index(tr(language, "📣 <b>Exchange of experience</b>"))
        assert lines[heading + 1] == tr(language, "Organisations have posted nothing yet.")

        await _exchange(sessions)
        await admin.click(tr(language, "« Back"), message_id=overview_id)
        await admin.click(tr(language, "🤝 The network at work"))
        lines = screen(admin, overview_id).splitlines()
        heading = lines.index(tr(language, "📣 <b>Exchange of experience</b>"))
        posted = tr(language, "Posted by organisations: {kinds}", kinds=_kinds(language, 1, 2, 3))
        answers = [
            trn(language, "{n} answer to posts, {accepted} accepted",
                "{n} answers to posts, {accepted} accepted", 4, accepted=2),
            trn(language, "Between two countries: {n} answer, {accepted} accepted",
                "Between two countries: {n} answers, {accepted} accepted", 3, accepted=1),
            trn(language, "Within one country: {n} answer, {accepted} accepted",
                "Within one country: {n} answers, {accepted} accepted", 1, accepted=1),
            trn(language, "Partner found: {found} of {n} partner call whose host was asked",
                "Partner found: {found} of {n} partner calls whose hosts were asked", 2,
                found=1),
        ]  # fmt: skip
        assert lines[heading + 1 : heading + 9] == [
            posted,
            f"{label(language, COUNTRIES, 'KZ')}: {_kinds(language, 1, 1, 1)}",  # most first
            f"{label(language, COUNTRIES, 'AM')}: {_kinds(language, 0, 1, 1)}",
            f"{label(language, COUNTRIES, 'RU')}: {_kinds(language, 0, 0, 1)}",
            *answers,
        ]
