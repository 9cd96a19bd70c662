"""Admins' events: /event_new (a step-by-step wizard ending in a preview and Publish now,
Publish at a date or Save as draft), /events_admin (publish, edit, cancel, counts).

The admin filter sits on the router, so every command and press is checked against
ADMIN_IDS again. Nothing is stored until Publish or Save: the wizard's answers live in the
FSM data (in the database, so a restart loses nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot import screens, shared_texts, users
from bot.clock import Clock
from bot.config import Settings
from bot.filters import IsAdmin
from bot.handlers.events import (
    drafts,
    keyboards,
    parsing,
    publishing,
    texts,
    wizard_steps,
)
from bot.handlers.events.callbacks import EventAdminAction, EventAdminPress
from bot.handlers.events.drafts import Draft, EventInfo
from bot.handlers.events.parsing import EventError, EventProblem
from bot.handlers.events.states import EventWizard
from bot.handlers.events.wizard_steps import FIRST_STEP
from bot.navigation import Pressed, PressOf, RefusalsAnswered, Refused, register_actions
from bot.scheduler import Planner
from bot.steps import Kind, Step, applying, next_code, position, previous_code, toggled
from bot.users import UserInfo
from db.engine import Sessions

# Where the wizard can be besides its steps (kept as `step` in the FSM data).
PREVIEW = "preview"
PUBLISH_AT = "publish_at"


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
    router.message.register(on_answer, EventWizard.writing, F.text)
    router.message.register(on_not_text, EventWizard.writing)
    return router


@dataclass(frozen=True)
class WizardServices:
    """The services and the admin the wizard's finishing actions (save, publish, schedule)
    work with."""

    sessions: Sessions
    settings: Settings
    clock: Clock
    planner: Planner
    user: UserInfo


async def ask(message: Message, state: FSMContext, *, edit: bool, notice: str = "") -> None:
    """Show the current step (after `notice`), or the preview."""
    data = await state.get_data()
    answers: dict[str, Any] = data.get("answers", {})
    code: str = data.get("step", FIRST_STEP)
    zone: str = data["zone"]
    if code == PREVIEW:
        await state.update_data(complete=True)
        draft = Draft.load(answers)
        body = texts.preview_head() + "\n\n" + texts.card(EventInfo(0, "draft", draft), zone)
        await screens.show(message, _with(notice, body), keyboards.preview(), edit=edit)
        return
    if code == PUBLISH_AT:
        await screens.show(
            message, _with(notice, texts.publish_at_prompt(zone)), keyboards.step(True), edit=edit
        )
        return
    step = wizard_steps.get_step(code) or wizard_steps.STEPS[0]
    number, total = position(wizard_steps.STEPS, step.code, answers)
    text = texts.step_prompt(step.code, number, total, zone)
    markup: InlineKeyboardMarkup
    if step.kind is Kind.CHOICE:
        markup = keyboards.kinds()
    elif step.kind is Kind.MULTI:
        markup = keyboards.ticks(step, answers.get(step.answer_key, []))
    else:
        markup = keyboards.step(back=True, skip=step.optional_for(answers))
    await screens.show(message, _with(notice, text), markup, edit=edit)


def _with(notice: str, text: str) -> str:
    return f"{notice}\n\n{text}" if notice else text


def after(data: dict[str, Any], answers: dict[str, Any], code: str) -> str:
    """The step after `code`; once the preview was reached, straight back to it (unless a
    changed start needs a new end)."""
    if data.get("complete") and "ends_at" in answers:
        return PREVIEW
    return next_code(wizard_steps.STEPS, code, answers) or PREVIEW


def previous(answers: dict[str, Any], code: str) -> str:
    """Where Back leads: the preview's is the last step; the first step's is itself."""
    if code == PUBLISH_AT:
        return PREVIEW
    if code == PREVIEW:
        return applying(wizard_steps.STEPS, answers)[-1].code
    return previous_code(wizard_steps.STEPS, code, answers) or code


async def on_new(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    user: UserInfo,
) -> None:
    """/event_new."""
    zone = await users.zone_of(sessions, user.id)
    await state.set_state(EventWizard.writing)
    await state.set_data(
        {"step": FIRST_STEP, "answers": {"time_zone": zone}, "editing": None, "zone": zone}
    )
    await ask(message, state, edit=False)


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
        await _publish_at(
            message, state, text, data, WizardServices(sessions, settings, clock, planner, user)
        )
        return
    step = wizard_steps.get_step(code)
    if step is None or not step.kind.typed:
        await ask(message, state, edit=False, notice=shared_texts.not_understood())
        return
    try:
        answers = wizard_steps.take(step, text, answers, zone, clock.now())
    except EventError as error:
        await ask(message, state, edit=False, notice=texts.problem(error))
        return
    await state.update_data(answers=answers, step=after(data, answers, code))
    shown = ""
    if step.kind is Kind.MOMENT:
        shown = texts.taken(datetime.fromisoformat(answers[step.answer_key]), zone)
    await ask(message, state, edit=False, notice=shown)


async def on_not_text(message: Message, state: FSMContext) -> None:
    """A sticker, photo or file where the wizard expects text or a press."""
    await ask(message, state, edit=False, notice=texts.text_expected())


@dataclass(frozen=True)
class OpenWizard:
    """The open wizard as a press found it: the message pressed on, and the wizard's data,
    step and answers then."""

    message: Message
    data: dict[str, Any]
    code: str  # the current step's, or PREVIEW or PUBLISH_AT
    step: Step | None  # None on the preview and when publishing at a date
    answers: dict[str, Any]  # a copy, free to change

    def step_of(self, kind: Kind, code: str | None = None) -> Step | None:
        """The current step if it is answered as `kind` (and, given `code`, offers it)."""
        step = self.step
        if step is None or step.kind is not kind:
            return None
        if code is not None and (step.vocabulary is None or code not in step.vocabulary):
            return None
        return step


async def _open(message: Message, state: FSMContext) -> OpenWizard:
    """The common start of a wizard press: the wizard as the FSM holds it."""
    data = await state.get_data()
    code: str = data.get("step", FIRST_STEP)
    answers = dict(data.get("answers", {}))
    return OpenWizard(message, data, code, wizard_steps.get_step(code), answers)


async def _go_on(
    query: CallbackQuery, state: FSMContext, press: OpenWizard, answers: dict[str, Any]
) -> None:
    """Keep `answers` to the current step and show what comes after it."""
    await state.update_data(answers=answers, step=after(press.data, answers, press.code))
    await ask(press.message, state, edit=True)
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
    if step is None:
        raise Refused
    await _go_on(query, state, press, {**press.answers, step.answer_key: callback_data.code})


async def on_tick(
    query: CallbackQuery, message: Message, callback_data: EventAdminPress, state: FSMContext
) -> None:
    """Tick or untick a value of a multi-select step."""
    press = await _open(message, state)
    step = press.step_of(Kind.MULTI, callback_data.code)
    if step is None:
        raise Refused
    ticked = toggled(step, press.answers.get(step.answer_key, []), callback_data.code)
    await state.update_data(answers={**press.answers, step.answer_key: ticked})
    await ask(press.message, state, edit=True)
    await query.answer()


async def on_done(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """✔ Done on a multi-select step (none ticked: everyone)."""
    press = await _open(message, state)
    step = press.step_of(Kind.MULTI)
    if step is None:
        raise Refused
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
    await ask(press.message, state, edit=True)
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
    press = await _open(message, state)
    if press.code != PREVIEW:
        raise Refused
    services = WizardServices(sessions, settings, clock, planner, user)
    await _finish(press.message, state, press.data, callback_data.action, services)
    await query.answer()


async def on_publish_at(query: CallbackQuery, message: Message, state: FSMContext) -> None:
    """🕒 Publish at a date, under the preview: ask when."""
    press = await _open(message, state)
    if press.code != PREVIEW:
        raise Refused
    await state.update_data(step=PUBLISH_AT)
    await ask(press.message, state, edit=True)
    await query.answer()


async def _save(data: dict[str, Any], services: WizardServices) -> int | None:
    try:
        return await drafts.save(
            services.sessions,
            Draft.load(data["answers"]),
            services.user.id,
            services.clock.now(),
            event_id=data.get("editing"),
        )
    except LookupError:
        return None


async def _finish(
    message: Message,
    state: FSMContext,
    data: dict[str, Any],
    action: EventAdminAction,
    services: WizardServices,
) -> None:
    event_id = await _save(data, services)
    await state.clear()
    if event_id is None:
        await screens.show(message, texts.already_cancelled(), None, edit=True)
        return
    if action is EventAdminAction.DRAFT:
        await screens.show(
            message,
            texts.saved_draft() if not data.get("editing") else texts.saved_changes(),
            None,
            edit=True,
        )
        return
    published = await publishing.publish(
        services.sessions,
        event_id,
        services.clock.now(),
        services.settings.default_language,
        by=services.user.id,
    )
    if published is None:
        await screens.show(
            message,
            texts.saved_changes() if data.get("editing") else texts.not_publishable(),
            None,
            edit=True,
        )
        return
    services.planner.wake_at(services.clock.now())
    await screens.show(message, texts.published(published), None, edit=True)


async def _publish_at(
    message: Message, state: FSMContext, text: str, data: dict[str, Any], services: WizardServices
) -> None:
    zone = data["zone"]
    try:
        when = parsing.parse_moment(text, zone, services.clock.now())
        if when >= datetime.fromisoformat(data["answers"]["starts_at"]):
            raise EventError(EventProblem.LATE_PUBLICATION)
    except EventError as error:
        await ask(message, state, edit=False, notice=texts.problem(error))
        return
    event_id = await _save(data, services)
    await state.clear()
    if event_id is None or not await publishing.schedule(services.sessions, event_id, when):
        await message.answer(texts.not_publishable())
        return
    services.planner.wake_at(when)
    await message.answer(texts.scheduled(when, zone))
