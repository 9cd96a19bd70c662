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

from bot import screens, shared_texts
from bot.clock import Clock
from bot.config import Settings
from bot.features.events import drafts, keyboards, listings, parsing, preferences, publishing, texts
from bot.features.events.callbacks import EventAdminAction, EventAdminPress
from bot.features.events.drafts import Draft, EventInfo
from bot.features.events.parsing import DESCRIPTION_MAX, PLACE_MAX, TITLE_MAX, EventError, Problem
from bot.features.events.publishing import Cancelled
from bot.features.events.states import EventWizard
from bot.filters import IsAdmin
from bot.scheduler import Planner
from bot.taxonomy import EVENT_KINDS
from bot.users import UserInfo
from db.engine import Sessions

TICK_STEPS = {"topics", "focus", "countries", "languages"}
PREVIEW = "preview"
PUBLISH_AT = "publish_at"


def create_router() -> Router:
    """Admin-only routes."""
    router = Router(name="event_admin")
    router.message.filter(IsAdmin())
    router.callback_query.filter(IsAdmin())
    router.message.register(on_new, Command("event_new"))
    router.message.register(on_list, Command("events_admin"), StateFilter(None))
    router.callback_query.register(on_press, EventAdminPress.filter())
    router.message.register(on_answer, EventWizard.writing, F.text)
    router.message.register(on_not_text, EventWizard.writing)
    return router


@dataclass(frozen=True)
class Desk:
    """What the wizard's and the list's actions work with."""

    sessions: Sessions
    settings: Settings
    clock: Clock
    planner: Planner
    user: UserInfo


def _steps(answers: dict[str, Any]) -> list[str]:
    """The steps that apply: the deadline only for internships."""
    internship = answers.get("kind") == "internship"
    return [s for s in texts.STEPS if s != "deadline" or internship]


async def _ask(message: Message, state: FSMContext, *, edit: bool, notice: str = "") -> None:
    """Show the current step (after `notice`), or the preview."""
    data = await state.get_data()
    answers: dict[str, Any] = data.get("answers", {})
    step: str = data.get("step", "kind")
    zone: str = data["zone"]
    if step == PREVIEW:
        await state.update_data(complete=True)
        draft = Draft.load(answers)
        body = texts.preview_head() + "\n\n" + texts.card(EventInfo(0, "draft", draft), zone)
        await screens.show(message, _with(notice, body), keyboards.preview(), edit=edit)
        return
    if step == PUBLISH_AT:
        await screens.show(
            message, _with(notice, texts.publish_at_prompt(zone)), keyboards.step(True), edit=edit
        )
        return
    steps = _steps(answers)
    text = texts.step_prompt(step, steps.index(step) + 1, len(steps), zone)
    markup: InlineKeyboardMarkup
    if step == "kind":
        markup = keyboards.kinds()
    elif step in TICK_STEPS:
        markup = keyboards.ticks(step, answers.get(step, []))
    else:
        optional = step == "registration" and answers.get("kind") != "internship"
        markup = keyboards.step(back=True, skip=optional)
    await screens.show(message, _with(notice, text), markup, edit=edit)


def _with(notice: str, text: str) -> str:
    return f"{notice}\n\n{text}" if notice else text


def _next(answers: dict[str, Any], step: str) -> str:
    steps = _steps(answers)
    index = steps.index(step)
    return steps[index + 1] if index + 1 < len(steps) else PREVIEW


def _after(data: dict[str, Any], answers: dict[str, Any], step: str) -> str:
    """The next step; once the preview was reached, straight back to it (unless a changed
    start needs a new end)."""
    if data.get("complete") and "ends_at" in answers:
        return PREVIEW
    return _next(answers, step)


def _previous(answers: dict[str, Any], step: str) -> str:
    steps = _steps(answers)
    if step in (PREVIEW, PUBLISH_AT):
        return steps[-1] if step == PREVIEW else PREVIEW
    index = steps.index(step)
    return steps[max(index - 1, 0)]


async def on_new(
    message: Message,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    user: UserInfo,
) -> None:
    """/event_new."""
    zone = await preferences.zone_of(sessions, user.id)
    await state.set_state(EventWizard.writing)
    await state.set_data(
        {"step": "kind", "answers": {"time_zone": zone}, "editing": None, "zone": zone}
    )
    await _ask(message, state, edit=False)


def _take(
    step: str, text: str, answers: dict[str, Any], zone: str, now: datetime
) -> dict[str, Any]:
    """The answers with `text` as the answer to `step` (raises EventError)."""
    updated = dict(answers)
    if step == "title":
        updated["title"] = parsing.clean_text(text, TITLE_MAX)
    elif step == "description":
        updated["description"] = parsing.clean_text(text, DESCRIPTION_MAX)
    elif step in ("start", "end", "deadline"):
        moment = parsing.parse_moment(text, zone, now)
        start = answers.get("starts_at")
        if step == "end" and start and moment <= datetime.fromisoformat(start):
            raise EventError(Problem.BEFORE_START)
        if step == "deadline" and start and moment >= datetime.fromisoformat(start):
            raise EventError(Problem.AFTER_START)
        key = {"start": "starts_at", "end": "ends_at", "deadline": "deadline"}[step]
        updated[key] = moment.isoformat()
        if (
            step == "start"
            and answers.get("ends_at")
            and datetime.fromisoformat(answers["ends_at"]) <= moment
        ):
            updated.pop("ends_at")  # asked again: it would end before it starts
    elif step == "place":
        value = parsing.clean_text(text, PLACE_MAX if "://" not in text else parsing.URL_MAX)
        try:
            updated["link"], updated["place"] = parsing.clean_url(value), None
        except EventError:
            if "://" in value or value.lower().startswith("www."):
                raise
            updated["link"], updated["place"] = None, value
    elif step == "registration":
        updated["registration_url"] = parsing.clean_url(text)
    return updated


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
    step, answers, zone = data.get("step", "kind"), data.get("answers", {}), data["zone"]
    text = message.text or ""
    if step == PUBLISH_AT:
        await _publish_at(
            message, state, text, data, Desk(sessions, settings, clock, planner, user)
        )
        return
    if step in TICK_STEPS or step in ("kind", PREVIEW):
        await _ask(message, state, edit=False, notice=shared_texts.not_understood())
        return
    try:
        answers = _take(step, text, answers, zone, clock.now())
    except EventError as error:
        await _ask(message, state, edit=False, notice=texts.problem(error))
        return
    await state.update_data(answers=answers, step=_after(data, answers, step))
    shown = ""
    if step in ("start", "end", "deadline"):
        key = {"start": "starts_at", "end": "ends_at", "deadline": "deadline"}[step]
        moment = datetime.fromisoformat(answers[key])
        shown = texts.taken(moment, zone)
    await _ask(message, state, edit=False, notice=shown)


async def on_not_text(message: Message, state: FSMContext) -> None:
    """A sticker, photo or file where the wizard expects text or a press."""
    await _ask(message, state, edit=False, notice=texts.text_expected())


async def on_press(
    query: CallbackQuery,
    callback_data: EventAdminPress,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
    planner: Planner,
    user: UserInfo,
) -> None:
    """Every press of the wizard and of /events_admin."""
    message = await screens.pressed_message(query)
    if message is None:
        return
    action, item = callback_data.action, callback_data.item
    if item:  # a press on /events_admin, about an existing event
        await _list_action(
            query, message, action, item, state, Desk(sessions, settings, clock, planner, user)
        )
        return
    if await state.get_state() != EventWizard.writing.state:
        await query.answer(shared_texts.stale_button(), show_alert=True)
        return
    data = await state.get_data()
    step, answers = data.get("step", "kind"), dict(data.get("answers", {}))
    if action is EventAdminAction.ABORT:
        await state.clear()
        await screens.show(message, texts.wizard_stopped(), None, edit=True)
    elif action is EventAdminAction.KIND and step == "kind" and callback_data.code in EVENT_KINDS:
        answers["kind"] = callback_data.code
        await state.update_data(answers=answers, step=_after(data, answers, "kind"))
        await _ask(message, state, edit=True)
    elif (
        action is EventAdminAction.TICK
        and step in TICK_STEPS
        and callback_data.code in keyboards.CHOICES[step]
    ):
        ticked = set(answers.get(step, [])) ^ {callback_data.code}
        answers[step] = [c for c in keyboards.CHOICES[step] if c in ticked]
        await state.update_data(answers=answers)
        await _ask(message, state, edit=True)
    elif action is EventAdminAction.DONE and step in TICK_STEPS:
        answers.setdefault(step, [])
        await state.update_data(answers=answers, step=_after(data, answers, step))
        await _ask(message, state, edit=True)
    elif (
        action is EventAdminAction.SKIP
        and step == "registration"
        and answers.get("kind") != "internship"
    ):
        answers["registration_url"] = None
        await state.update_data(answers=answers, step=_after(data, answers, step))
        await _ask(message, state, edit=True)
    elif action is EventAdminAction.BACK:
        await state.update_data(step=_previous(answers, step))
        await _ask(message, state, edit=True)
    elif step == PREVIEW and action in (EventAdminAction.PUBLISH, EventAdminAction.DRAFT):
        await _finish(message, state, data, action, Desk(sessions, settings, clock, planner, user))
    elif step == PREVIEW and action is EventAdminAction.PUBLISH_AT:
        await state.update_data(step=PUBLISH_AT)
        await _ask(message, state, edit=True)
    else:
        await query.answer(shared_texts.stale_button(), show_alert=True)
        return
    await query.answer()


async def _save(data: dict[str, Any], desk: Desk) -> int | None:
    try:
        return await drafts.save(
            desk.sessions,
            Draft.load(data["answers"]),
            desk.user.id,
            desk.clock.now(),
            event_id=data.get("editing"),
        )
    except LookupError:
        return None


async def _finish(
    message: Message,
    state: FSMContext,
    data: dict[str, Any],
    action: EventAdminAction,
    desk: Desk,
) -> None:
    event_id = await _save(data, desk)
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
        desk.sessions, event_id, desk.clock.now(), desk.settings.default_language
    )
    if published is None:
        await screens.show(
            message,
            texts.saved_changes() if data.get("editing") else texts.not_publishable(),
            None,
            edit=True,
        )
        return
    desk.planner.wake_at(desk.clock.now())
    await screens.show(message, texts.published(published.queued), None, edit=True)


async def _publish_at(
    message: Message, state: FSMContext, text: str, data: dict[str, Any], desk: Desk
) -> None:
    zone = data["zone"]
    try:
        when = parsing.parse_moment(text, zone, desk.clock.now())
        if when >= datetime.fromisoformat(data["answers"]["starts_at"]):
            raise EventError(Problem.LATE_PUBLICATION)
    except EventError as error:
        await _ask(message, state, edit=False, notice=texts.problem(error))
        return
    event_id = await _save(data, desk)
    await state.clear()
    if event_id is None or not await publishing.schedule(desk.sessions, event_id, when):
        await message.answer(texts.not_publishable())
        return
    desk.planner.wake_at(when)
    await message.answer(texts.scheduled(when, zone))


async def on_list(
    message: Message,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
    user: UserInfo,
) -> None:
    """/events_admin."""
    zone = await preferences.zone_of(sessions, user.id)
    found = await listings.for_admins(sessions, clock.now())
    await message.answer(texts.admin_list(found, zone), reply_markup=keyboards.admin_list(found))


async def _list_action(
    query: CallbackQuery,
    message: Message,
    action: EventAdminAction,
    event_id: int,
    state: FSMContext,
    desk: Desk,
) -> None:
    now = desk.clock.now()
    if action is EventAdminAction.CANCEL:
        outcome, told = await publishing.cancel(desk.sessions, event_id, now)
        if outcome is not Cancelled.DONE:
            await query.answer(
                texts.already_cancelled()
                if outcome is Cancelled.ALREADY
                else shared_texts.stale_button(),
                show_alert=True,
            )
            return
        desk.planner.wake_at(now)
        await query.answer()
        await message.answer(texts.event_cancelled(told))
        return
    if action is EventAdminAction.PUBLISH:
        published = await publishing.publish(
            desk.sessions, event_id, now, desk.settings.default_language
        )
        if published is None:
            await query.answer(texts.not_publishable(), show_alert=True)
            return
        desk.planner.wake_at(now)
        await query.answer()
        await message.answer(texts.published(published.queued))
        return
    if action is EventAdminAction.EDIT:
        event = await drafts.load(desk.sessions, event_id)
        if event is None or event.status == "cancelled":
            await query.answer(texts.already_cancelled(), show_alert=True)
            return
        await query.answer()
        await state.set_state(EventWizard.writing)
        zone = await preferences.zone_of(desk.sessions, desk.user.id)
        await state.set_data(
            {
                "step": PREVIEW,
                "answers": event.draft.dump(),
                "editing": event.id,
                "zone": zone,
                "complete": True,
            }
        )
        await _ask(message, state, edit=False)
        return
    await query.answer(shared_texts.stale_button(), show_alert=True)
