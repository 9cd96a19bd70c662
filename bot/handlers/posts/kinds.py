"""The kinds of post the one posts wizard (writing.py) writes, each described as data: its
steps, how a typed answer is taken (and what is shown back), where Next and Back lead, how
the preview renders and how it is submitted. An event and an internship reuse the admins'
event wizard's steps (bot/handlers/events, through their public names); a partner call
has its own (calls.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Final

from bot.config import Settings
from bot.handlers.events import texts as event_texts
from bot.handlers.events import wizard_steps
from bot.handlers.events.drafts import Draft, EventInfo
from bot.handlers.events.wizard_steps import EventError
from bot.handlers.posts import call_texts, calls, posting, texts
from bot.handlers.posts.calls import CallDraft, CallError
from bot.handlers.posts.review import CALL, Post
from bot.steps import Answers, Kind, Step, applying, previous_code
from db.engine import Sessions

PREVIEW: Final = "preview"  # where the wizard is once every step is answered


class NotTaken(Exception):
    """A typed answer that was not taken: `notice` says why (the same step follows)."""

    def __init__(self, notice: str) -> None:
        super().__init__(notice)
        self.notice = notice


@dataclass(frozen=True)
class Outcome:
    """A post submitted: sent for review, published at once (a verified organisation with
    POST_REVIEW=unverified), or, a published post edited in its time, link or place only,
    kept published (those attending are told)."""

    post: Post
    how: str  # "review" | "direct" | "kept"


Take = Callable[[Step, str, Answers, str, datetime], tuple[dict[str, Any], str]]


@dataclass(frozen=True)
class Submission:
    """What Submit hands a kind's `submit`: who, the answers, the member's zone, when, the
    post edited (or None) and the settings (POST_REVIEW, the default language)."""

    sessions: Sessions
    user_id: int
    answers: Answers
    zone: str
    now: datetime
    editing: int | None
    settings: Settings


Submit = Callable[[Submission], Awaitable[Outcome]]


@dataclass(frozen=True)
class PostKind:
    """One kind of post, as the wizard walks it."""

    code: str  # "event" | "internship" | "call"
    steps: tuple[Step, ...]
    take: Take  # the answers with a typed one, and what is shown back (raises NotTaken)
    prompt: Callable[[str, int, int, str], str]  # a step's question with its progress
    preview: Callable[[Answers, str, str], str]  # the card as readers get it (answers, host, zone)
    submit: Submit
    opening: tuple[tuple[str, Any], ...] = ()  # answers given before the first step

    @property
    def first(self) -> str:
        return self.steps[0].code

    def step(self, code: object) -> Step | None:
        """The step called `code`, or None (the preview, or forged or stale input)."""
        return next((step for step in self.steps if step.code == code), None)

    def after(self, answers: Answers, code: str) -> str:
        """The next step asked after `code` not answered yet (straight back to the preview
        once all were, as when editing; a changed start asks the end again)."""
        codes = [step.code for step in applying(self.steps, answers)]
        index = codes.index(code) if code in codes else -1
        for later in applying(self.steps, answers)[index + 1 :]:
            if later.answer_key not in answers:
                return later.code
        return PREVIEW

    def previous(self, answers: Answers, code: str) -> str:
        """Where Back leads: the preview's is the last step; the first step's is itself."""
        if code == PREVIEW:
            return applying(self.steps, answers)[-1].code
        return previous_code(self.steps, code, answers) or code


# Events and internships: the admins' event wizard's steps and parsing.


def _guarded(take: Take, error: type[Exception], problem: Callable[[Any], str]) -> Take:
    """`take`, its `error` turned into NotTaken with `problem`'s sentence."""

    def guarded(
        step: Step, raw: str, answers: Answers, zone: str, now: datetime
    ) -> tuple[dict[str, Any], str]:
        try:
            return take(step, raw, answers, zone, now)
        except error as refused:
            raise NotTaken(problem(refused)) from refused

    return guarded


def _event_answer(
    step: Step, raw: str, answers: Answers, zone: str, now: datetime
) -> tuple[dict[str, Any], str]:
    taken = wizard_steps.take(step, raw, answers, zone, now)
    deadline = taken.get("deadline")
    start = datetime.fromisoformat(taken["starts_at"]) if step.code == "start" else None
    if start and deadline and datetime.fromisoformat(deadline) >= start:
        taken.pop("deadline")  # asked again: applications would close after the start
    if step.kind is Kind.MOMENT:
        return taken, event_texts.taken(datetime.fromisoformat(taken[step.answer_key]), zone)
    return taken, ""


_take_event: Final = _guarded(_event_answer, EventError, event_texts.problem)


def _take_internship(
    step: Step, raw: str, answers: Answers, zone: str, now: datetime
) -> tuple[dict[str, Any], str]:
    if step.code != "places":
        return _take_event(step, raw, answers, zone, now)
    value = raw.strip()
    places = int(value) if value.isascii() and value.isdigit() else 0
    if not posting.PLACES_MIN <= places <= posting.PLACES_MAX:
        raise NotTaken(texts.bad_places(posting.PLACES_MIN, posting.PLACES_MAX))
    return {**answers, "places": places}, ""


def _internship_prompt(code: str, number: int, total: int, zone: str) -> str:
    """An internship's questions: the events' ones under an internship's head, and places."""
    if code == "places":
        return texts.places_prompt(number, total, posting.PLACES_MIN, posting.PLACES_MAX)
    head = texts.internship_head(number, total)
    return event_texts.step_prompt(code, number, total, zone, head=head)


def _event_preview(answers: Answers, host: str, zone: str) -> str:
    event = EventInfo(0, "draft", Draft.load(dict(answers)), host=host)
    return texts.preview_head(texts.what_kind(event)) + "\n\n" + event_texts.card(event, zone)


def _submitting(allowed: tuple[str, ...]) -> Submit:
    async def submit(given: Submission) -> Outcome:
        done = await posting.submit(
            given.sessions,
            given.user_id,
            dict(given.answers),
            given.now,
            editing=given.editing,
            review_mode=given.settings.post_review,
            default_language=given.settings.default_language,
            kinds=allowed,
        )
        return Outcome(done.event, done.how)

    return submit


_EVENT_STEPS: Final = wizard_steps.STEPS
# An internship: the kind is given; the registration link may be skipped (applications
# come through the bot), and its places are asked before the application deadline.
_INTERNSHIP_STEPS: Final = (
    *(
        replace(step, optional=True, optional_if=None) if step.code == "registration" else step
        for step in _EVENT_STEPS
        if step.code not in ("kind", "deadline")
    ),
    Step("places", Kind.TEXT),
    *(step for step in _EVENT_STEPS if step.code == "deadline"),
)


# Partner calls.


def _call_answer(
    step: Step, raw: str, answers: Answers, zone: str, now: datetime
) -> tuple[dict[str, Any], str]:
    taken = calls.take(step, raw, answers, zone, now)
    if step.code == "deadline":
        return taken, call_texts.taken(date.fromisoformat(taken["deadline"]), zone)
    return taken, ""


_take_call: Final = _guarded(_call_answer, CallError, call_texts.problem)


def _call_preview(answers: Answers, host: str, zone: str) -> str:
    return texts.preview_head(CALL) + "\n\n" + call_texts.card(CallDraft.load(answers), host, zone)


async def _submit_call(given: Submission) -> Outcome:
    call, how = await calls.submit(
        given.sessions, given.user_id, given.answers, given.zone, given.now, editing=given.editing
    )
    return Outcome(call, how)


KINDS: Final[dict[str, PostKind]] = {
    "event": PostKind(
        "event", _EVENT_STEPS, _take_event, event_texts.step_prompt, _event_preview,
        _submitting(posting.KINDS),
    ),
    "internship": PostKind(
        "internship", _INTERNSHIP_STEPS, _take_internship, _internship_prompt, _event_preview,
        _submitting(("internship",)), opening=(("kind", "internship"),),
    ),
    CALL: PostKind(
        CALL, calls.STEPS, _take_call, call_texts.step_prompt, _call_preview, _submit_call
    ),
}  # fmt: skip


def of_post(post: Post) -> PostKind:
    """The kind of a stored post."""
    if isinstance(post, EventInfo):
        return KINDS["internship" if post.draft.kind == "internship" else "event"]
    return KINDS[CALL]
