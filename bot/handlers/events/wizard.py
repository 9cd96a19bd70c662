"""Admins' events: /event_new (a step-by-step wizard ending in a preview and Publish now,
Publish at a date or Save as draft), /events_admin (publish, edit, cancel, counts).

The admin filter sits on the router, so every command and press is checked against
ADMIN_IDS again. Nothing is stored until Publish or Save: the wizard's answers live in the
FSM data (in the database, so a restart loses nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens, shared_texts, users
from bot.clock import Clock
from bot.config import Settings
from bot.filters import IsAdmin
from bot.handlers.events import publishing, texts, views, wizard_steps
from bot.handlers.events.callbacks import EventAdminAction, EventAdminPress
from bot.handlers.events.drafts import Draft
from bot.handlers.events.states import EventWizard
from bot.handlers.events.wizard_steps import (
    FIRST_STEP,
    PREVIEW,
    PUBLISH_AT,
    EventError,
    after,
    previous,
)
from bot.navigation import Pressed, PressOf, RefusalsAnswered, Refused, register_actions
from bot.scheduler import Planner
from bot.steps import Kind, Step, toggled
from bot.users import UserInfo
from db.engine import Sessions


def create_router() -> Router:
    """Admin-only routes of /event_new (after /events_admin's, see admin_list.py)."""
    router = Router(name="event_admin")
    router.callback_query.filter(PressOf(EventAdminPress))
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.callback_query.middleware(RefusalsAnswered())  # presses that do not fit: refused
    router.message.register(on_new, Command("event_new"))
    # The wizard's presses, while it is open.
    register_actions(
        router,
        EventAdminPress,
        {
            EventAdminAction.ABORT: on_abort,
            EventAdminAction.KIND: on_kind,
            EventAdminAction.TICK: on_tick,
            EventAdminAction.DONE: on_done,
            EventAdminAction.SKIP: on_skip,
            EventAdminAction.BACK: on_back,
            EventAdminAction.PUBLISH: on_finish,
            EventAdminAction.DRAFT: on_finish,
            EventAdminAction.PUBLISH_AT: on_publish_at,
        },
        StateFilter(EventWizard.writing),
        Pressed(),  # and the message still there
    )
    # Whatever is left: a wizard that is closed, or a press that does not fit its step.
    router.callback_query.register(on_stale, EventAdminPress.filter())
    # A command is never an answer (bot/app.py's WIZARD_STATES: it leaves the wizard).
    router.message.register(on_answer, EventWizard.writing, F.text, ~F.text.startswith("/"))
    router.message.register(on_not_text, EventWizard.writing)
    return router


async def on_new(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    user: UserInfo,
) -> None:
    """/event_new."""
    zone = await users.zone_of(sessions, user.id)
    await state.set_state(EventWizard.writing)
    await state.set_data(wizard_steps.opened(zone))
    await views.ask(message, state, edit=False)


async def on_answer(
    message: Message,
    state: FSMContext,
    clock: Clock,
    sessions: Sessions,
    planner: Planner,
    settings: Settings,
    user: UserInfo,
) -> None:
    """A typed answer to the current step."""
    data = await state.get_data()
    code, answers, zone = data.get("step", FIRST_STEP), data.get("answers", {}), data["zone"]
    text = message.text or ""
    if code == PUBLISH_AT:
        await _publish_at(message, state, text, data, sessions, clock, planner, user)
        return
    step = wizard_steps.get_step(code)
    if step is None or not step.kind.typed:
        await views.ask(message, state, edit=False, notice=shared_texts.not_understood())
        return
    try:
        answers = wizard_steps.take(step, text, answers, zone, clock.now())
    except EventError as error:
        await views.ask(message, state, edit=False, notice=texts.problem(error))
        return
    await state.update_data(answers=answers, step=after(data, answers, code))
    await views.ask(message, state, edit=False, notice=views.taken(step, answers, zone))


async def on_not_text(message: Message, state: FSMContext) -> None:
    """A sticker, photo or file where the wizard expects text or a press."""
    await views.ask(message, state, edit=False, notice=texts.text_expected())


@dataclass(frozen=True)
class OpenWizard:
    """The open wizard as a press found it: the message pressed on, and the wizard's data,
    step and answers then."""

    message: Message
    data: dict[str, Any]
    code: str  # the current step's, or PREVIEW or PUBLISH_AT
    step: Step | None  # None on the preview and when publishing at a date
    answers: dict[str, Any]  # a copy, free to change

    def step_of(self, kind: Kind, code: str | None = None) -> Step:
        """The current step if it is answered as `kind` (and, given `code`, offers it);
        else the press does not fit it, and is refused."""
        step = self.step
        if step is None or step.kind is not kind:
            raise Refused
        if code is not None and (step.vocabulary is None or code not in step.vocabulary):
            raise Refused
        return step


async def _open(message: Message, state: FSMContext, at: str | None = None) -> OpenWizard:
    """The common start of a wizard press: the wizard as the FSM holds it (a press meant
    for the screen `at`, such as the preview's, is refused anywhere else)."""
    data = await state.get_data()
    code: str = data.get("step", FIRST_STEP)
    if at is not None and code != at:
        raise Refused
    answers = dict(data.get("answers", {}))
    return OpenWizard(message, data, code, wizard_steps.get_step(code), answers)


async def _go_on(
    query: CallbackQuery, state: FSMContext, press: OpenWizard, answers: dict[str, Any]
) -> None:
    """Keep `answers` to the current step and show what comes after it."""
    await state.update_data(answers=answers, step=after(press.data, answers, press.code))
    await views.ask(press.message, state, edit=True)
    await query.answer()


async def on_stale(query: CallbackQuery) -> None:
    """A press that does not fit: an old message, a closed wizard, another step."""
    raise Refused


async def on_abort(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """✖ Stop: leave the wizard; nothing is saved."""
    press = await _open(message, state)
    await state.clear()
    await screens.show(press.message, texts.wizard_stopped(), None, edit=True)
    await query.answer()


async def on_kind(
    query: CallbackQuery, message: Message, callback_data: EventAdminPress, state: FSMContext
) -> None:
    """A kind of event, on the first step."""
    press = await _open(message, state)
    step = press.step_of(Kind.CHOICE, callback_data.code)
    await _go_on(query, state, press, {**press.answers, step.answer_key: callback_data.code})


async def on_tick(
    query: CallbackQuery, message: Message, callback_data: EventAdminPress, state: FSMContext
) -> None:
    """Tick or untick a value of a multi-select step."""
    press = await _open(message, state)
    step = press.step_of(Kind.MULTI, callback_data.code)
    ticked = toggled(step, press.answers.get(step.answer_key, []), callback_data.code)
    await state.update_data(answers={**press.answers, step.answer_key: ticked})
    await views.ask(press.message, state, edit=True)
    await query.answer()


async def on_done(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """✔ Done on a multi-select step (none ticked: everyone)."""
    press = await _open(message, state)
    step = press.step_of(Kind.MULTI)
    press.answers.setdefault(step.answer_key, [])
    await _go_on(query, state, press, press.answers)


async def on_skip(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """Skip, where the current step is optional."""
    press = await _open(message, state)
    step = press.step
    if step is None or not step.optional_for(press.answers):
        raise Refused
    await _go_on(query, state, press, {**press.answers, step.answer_key: None})


async def on_back(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """« Back, from a step, the preview or publishing at a date."""
    press = await _open(message, state)
    await state.update_data(step=previous(press.answers, press.code))
    await views.ask(press.message, state, edit=True)
    await query.answer()


async def on_finish(
    query: CallbackQuery,
    message: Message,
    callback_data: EventAdminPress,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
    planner: Planner,
    user: UserInfo,
) -> None:
    """📣 Publish now or 💾 Save as draft, under the preview."""
    press = await _open(message, state, at=PREVIEW)
    publish = callback_data.action is EventAdminAction.PUBLISH
    editing, draft = press.data.get("editing"), Draft.load(press.data["answers"])
    event_id, published = await publishing.finish(
        sessions,
        draft,
        user.id,
        clock.now(),
        editing=editing,
        close=state.clear,  # once saved, before publishing
        planner=planner,
        language=settings.default_language if publish else None,
    )
    await views.finished(press.message, callback_data.action, bool(editing), event_id, published)
    await query.answer()


async def on_publish_at(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """🕒 Publish at a date, under the preview: ask when."""
    press = await _open(message, state, at=PREVIEW)
    await state.update_data(step=PUBLISH_AT)
    await views.ask(press.message, state, edit=True)
    await query.answer()


async def _publish_at(
    message: Message,
    state: FSMContext,
    text: str,
    data: dict[str, Any],
    sessions: Sessions,
    clock: Clock,
    planner: Planner,
    user: UserInfo,
) -> None:
    """The date typed to publish at: checked (before the start), then the event saved and
    published then."""
    zone, answers = data["zone"], data["answers"]
    try:
        when = wizard_steps.publication_moment(text, zone, clock.now(), answers["starts_at"])
    except EventError as error:
        await views.ask(message, state, edit=False, notice=texts.problem(error))
        return
    done = await publishing.schedule_draft(
        sessions,
        Draft.load(answers),
        user.id,
        clock.now(),
        when,
        editing=data.get("editing"),
        close=state.clear,  # once saved, before scheduling
        planner=planner,
    )
    await views.scheduled(message, when if done else None, zone)
