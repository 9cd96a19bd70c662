"""Partner calls: "🤝 We seek a partner" as steps (bot.steps), how a typed answer is taken,
and storing a call for review. The answers live in the FSM data (in the database)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.events.drafts import EventInfo
from bot.handlers.posts import queries
from bot.handlers.posts.posting import (
    Poster,
    check_editable,
    check_repeat,
    check_room,
    normalised,
    poster_of,
)
from bot.handlers.posts.refusals import OPEN_MAX as OPEN_MAX  # re-exported
from bot.handlers.posts.refusals import PostRefusal, PostRefused
from bot.languages import LANGUAGES
from bot.steps import Answers, Kind, Step
from bot.taxonomy import COUNTRIES, TOPICS, Vocabulary
from db.engine import Sessions, reading, writing
from db.models import PartnerCall

TITLE_MAX: Final = 120
DESCRIPTION_MAX: Final = 1000
PROGRAMME_MAX: Final = 120
HORIZON: Final = timedelta(days=365)  # a deadline at most a year ahead
PREVIEW: Final = "preview"
INTEREST_MAX: Final = 1000  # "We're interested": the message to the host

LANGUAGE_CHOICES: Final = Vocabulary("interface_language", dict(LANGUAGES))
_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$|^(\d{4})-(\d{1,2})-(\d{1,2})$")


class CallProblem(StrEnum):
    """Why a typed answer was not taken (the same step follows)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    FORMAT = "format"  # not a date
    IMPOSSIBLE = "impossible"  # 31.02.2027
    TOO_SOON = "too_soon"  # today or earlier, in the member's zone
    TOO_FAR = "too_far"  # more than a year ahead


class CallError(Exception):
    def __init__(self, problem: CallProblem, limit: int = 0, length: int = 0) -> None:
        super().__init__(problem.value)
        self.problem, self.limit, self.length = problem, limit, length


def clean(raw: str, limit: int) -> str:
    """Trimmed text within `limit` characters."""
    value = raw.strip()
    if not value:
        raise CallError(CallProblem.EMPTY)
    if len(value) > limit:
        raise CallError(CallProblem.TOO_LONG, limit, len(value))
    return value


def _text(limit: int) -> Callable[[str], str]:
    return lambda raw: clean(raw, limit)


def parse_deadline(raw: str, zone: str, now: datetime) -> date:
    """`01.03.2027` or `2027-03-01`: at least tomorrow and at most a year ahead, in `zone`."""
    shape = _DATE.match(" ".join(raw.split()))
    if shape is None:
        raise CallError(CallProblem.FORMAT)
    day, month, year = (
        shape.group(1, 2, 3) if shape.group(1) else (shape.group(6), shape.group(5), shape.group(4))
    )
    try:
        value = date(int(year), int(month), int(day))
    except ValueError as exc:
        raise CallError(CallProblem.IMPOSSIBLE) from exc
    today = now.astimezone(ZoneInfo(zone)).date()
    if value <= today:
        raise CallError(CallProblem.TOO_SOON)
    if value > today + HORIZON:
        raise CallError(CallProblem.TOO_FAR)
    return value


STEPS: Final[tuple[Step, ...]] = (
    Step("title", Kind.TEXT, parse=_text(TITLE_MAX)),
    Step("description", Kind.TEXT, parse=_text(DESCRIPTION_MAX)),
    # Multi-selects: none ticked means any.
    Step("topics", Kind.MULTI, vocabulary=TOPICS),
    Step("countries", Kind.MULTI, vocabulary=COUNTRIES),
    Step("deadline", Kind.TEXT),
    Step("programme", Kind.TEXT, optional=True, parse=_text(PROGRAMME_MAX)),
    Step("languages", Kind.MULTI, vocabulary=LANGUAGE_CHOICES),
)
BY_CODE: Final[dict[str, Step]] = {step.code: step for step in STEPS}
FIRST_STEP: Final = STEPS[0].code


def get_step(code: object) -> Step | None:
    """The step called `code`, or None (the preview, or forged or stale input)."""
    return BY_CODE.get(code) if isinstance(code, str) else None


def take(step: Step, raw: str, answers: Answers, zone: str, now: datetime) -> dict[str, Any]:
    """The answers with `raw` as the answer to `step` (raises CallError)."""
    if step.code == "deadline":
        value = parse_deadline(raw, zone, now).isoformat()
    else:
        assert step.parse is not None
        value = step.parse(raw)
    return {**answers, step.answer_key: value}


def after(answers: Answers, code: str) -> str:
    """The next step not answered yet after `code` (straight back to the preview once all
    were answered, as when editing)."""
    codes = [step.code for step in STEPS]
    index = codes.index(code) if code in codes else -1
    for later in codes[index + 1 :]:
        if later not in answers:
            return later
    return PREVIEW


def previous(code: str) -> str:
    """The step before `code` (the last one from the preview)."""
    codes = [step.code for step in STEPS]
    if code not in codes:
        return codes[-1]
    return codes[max(codes.index(code) - 1, 0)]


@dataclass(frozen=True)
class CallDraft:
    """A partner call as the member wrote it (the FSM answers, checked)."""

    title: str
    description: str
    deadline: date
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    programme: str | None = None

    @classmethod
    def load(cls, answers: Answers) -> CallDraft:
        """From the answers (raises PostRefused for incomplete or forged ones)."""
        try:
            return cls(
                clean(str(answers["title"]), TITLE_MAX),
                clean(str(answers["description"]), DESCRIPTION_MAX),
                date.fromisoformat(str(answers["deadline"])),
                _codes(answers.get("topics"), TOPICS),
                _codes(answers.get("countries"), COUNTRIES),
                _codes(answers.get("languages"), LANGUAGE_CHOICES),
                clean(str(answers["programme"]), PROGRAMME_MAX)
                if answers.get("programme")
                else None,
            )
        except (KeyError, ValueError, CallError) as exc:
            raise PostRefused(PostRefusal.NOT_YOURS) from exc


def dump(draft: CallDraft) -> dict[str, Any]:
    """A call's answers as the wizard keeps them (to edit it)."""
    return {
        "title": draft.title,
        "description": draft.description,
        "topics": list(draft.topics),
        "countries": list(draft.countries),
        "deadline": draft.deadline.isoformat(),
        "programme": draft.programme,
        "languages": list(draft.languages),
    }


def _codes(values: object, vocabulary: Vocabulary) -> tuple[str, ...]:
    if not isinstance(values, list) or not set(values) <= set(vocabulary.codes):
        raise ValueError("not codes of the vocabulary")
    return tuple(code for code in vocabulary.codes if code in values)


@dataclass(frozen=True)
class CallInfo:
    """A stored call, with its host's name."""

    id: int
    draft: CallDraft
    host: str
    host_id: int
    review: str
    zone: str = "UTC"  # the poster's, whose end of day the deadline is


# A post: an event (or internship) an organisation hosts, or its partner call; CALL is a
# press's `kind` for a partner call ("" for an event).
Post = EventInfo | CallInfo
CALL: Final = "call"


async def info_of(session: AsyncSession, row: PartnerCall) -> CallInfo:
    """A stored call as screens show it."""
    draft = CallDraft(
        row.title,
        row.description,
        row.deadline,
        tuple(row.topics),
        tuple(row.countries),
        tuple(row.languages),
        row.programme,
    )
    host = await queries.organisation_name(session, row.host_organisation_id)
    return CallInfo(row.id, draft, host or "", row.host_organisation_id, row.review, row.time_zone)


async def load(sessions: Sessions, call_id: int) -> CallInfo | None:
    async with reading(sessions) as session:
        row = await session.get(PartnerCall, call_id)
        return None if row is None else await info_of(session, row)


def _today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


async def check_open(sessions: Sessions, poster: Poster, now: datetime) -> None:
    """Refuse a new call while OPEN_MAX of the organisation's are open (the refusal says
    when the earliest closes)."""
    async with reading(sessions) as session:
        deadlines = await queries.open_calls(session, poster.organisation_id, now.date())
    if len(deadlines) >= OPEN_MAX:
        raise PostRefused(PostRefusal.OPEN_CALLS, until=deadlines[0])


def _live(row: PartnerCall, now: datetime) -> bool:
    """Approved, not closed, its deadline not passed: edited, it may stay published."""
    return (
        row.review == "approved"
        and row.closed_at is None
        and row.deadline >= _today(now, row.time_zone)
    )


async def editable(sessions: Sessions, user_id: int, call_id: int, now: datetime) -> CallInfo:
    """A call of the member's organisation to edit (`posting.may_change`)."""
    await check_editable(
        sessions, user_id, now, (PartnerCall, call_id),
        rejected=lambda row: row.review == "rejected", live=_live,
    )  # fmt: skip
    call = await load(sessions, call_id)
    if call is None:
        raise PostRefused(PostRefusal.GONE)
    return call


def _reach(draft: CallDraft) -> tuple[frozenset[str], frozenset[str]]:
    """What decides whom a call is announced to: its topics and countries."""
    return frozenset(draft.topics), frozenset(draft.countries)


def _fill(row: PartnerCall, draft: CallDraft, zone: str) -> None:
    row.title, row.description, row.deadline = draft.title, draft.description, draft.deadline
    row.topics, row.countries = list(draft.topics), list(draft.countries)
    row.languages, row.programme, row.time_zone = list(draft.languages), draft.programme, zone


async def submit(
    sessions: Sessions,
    user_id: int,
    answers: Answers,
    zone: str,
    now: datetime,
    *,
    editing: int | None = None,
) -> tuple[CallInfo, str]:
    """Store the member's call for their organisation, waiting for review (the limits of
    posts and of open calls), or the changes to one (`editing`): a rejected call goes to
    review again; a published one stays published unless its text changed (then back to
    review, not announced meanwhile; new topics or countries: its audience queued again).
    Returns the call and "review" or "kept"."""
    poster = await poster_of(sessions, user_id, now)
    before = None if editing is None else await editable(sessions, user_id, editing, now)
    if before is None:
        await check_room(sessions, poster)
        await check_open(sessions, poster, now)
    draft = CallDraft.load(answers)
    if draft.deadline <= _today(now, zone):
        raise PostRefused(PostRefusal.DEADLINE_PASSED)  # the preview waited past it
    text = normalised(draft.title, draft.description)
    changed = before is None or normalised(before.draft.title, before.draft.description) != text
    if changed:
        await check_repeat(sessions, poster, text, now, None, zone, call=editing)
    async with writing(sessions) as session:
        row = None if editing is None else await session.get(PartnerCall, editing)
        if row is None:
            row = PartnerCall(
                host_organisation_id=poster.organisation_id, posted_by=user_id, created_at=now
            )
            session.add(row)
        kept = before is not None and before.review == "approved" and not changed
        if kept and before is not None and _reach(before.draft) != _reach(draft):
            row.audience_cursor = 0  # queued again for whom it now suits (the queued skipped)
        _fill(row, draft, zone)
        if not kept:
            row.review = "pending"
            row.reviewed_by = row.reviewed_at = row.review_reason = row.review_note = None
        await session.flush()
        call = CallInfo(row.id, draft, poster.name, poster.organisation_id, row.review, zone)
        return call, "kept" if kept else "review"
