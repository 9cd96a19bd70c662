"""The admins' wizard's screens: the current step, the preview, asking when to publish, and
what became of the event once it is finished; an event's card for one reader."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message

from bot import screens
from bot.handlers.events import keyboards, rsvps, texts, wizard_steps
from bot.handlers.events.callbacks import EventAdminAction
from bot.handlers.events.drafts import Draft, EventInfo
from bot.handlers.events.publishing import Published
from bot.handlers.events.wizard_steps import FIRST_STEP, PREVIEW, PUBLISH_AT
from bot.steps import Kind, Step, position
from db.engine import Sessions


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


def taken(step: Step, answers: dict[str, Any], zone: str) -> str:
    """What the next step's screen says first after a typed answer to `step`: a moment as
    it was understood (in `zone`), else nothing."""
    if step.kind is not Kind.MOMENT:
        return ""
    return texts.taken(datetime.fromisoformat(answers[step.answer_key]), zone)


def _with(notice: str, text: str) -> str:
    return f"{notice}\n\n{text}" if notice else text


async def finished(
    message: Message,
    action: EventAdminAction,
    editing: bool,
    event_id: int | None,
    published: Published | None,
) -> None:
    """The wizard's message once 📣 Publish now or 💾 Save as draft was pressed (`editing`:
    an existing event's changes): the event edited was cancelled meanwhile (`event_id`
    None), saved, published, or saved but not publishable."""
    if event_id is None:
        text = texts.already_cancelled()
    elif action is EventAdminAction.DRAFT:
        text = texts.saved_draft() if not editing else texts.saved_changes()
    elif published is None:
        text = texts.saved_changes() if editing else texts.not_publishable()
    else:
        text = texts.published(published)
    await screens.show(message, text, None, edit=True)


async def scheduled(message: Message, when: datetime | None, zone: str) -> None:
    """The answer to the date typed to publish at: when the event will be published (in
    `zone`), or, `when` None, that it is not publishable."""
    if when is None:
        await message.answer(texts.not_publishable())
    else:
        await message.answer(texts.scheduled(when, zone))


async def card_for(
    sessions: Sessions, user_id: int, event: EventInfo, zone: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """An event's card for one reader, with its buttons: an internship an organisation
    hosts says "You are taking part" (and offers no 📝 Apply) to one it accepted."""
    text = texts.card(event, zone)
    taking_part = keyboards.takes_applications(event) and await rsvps.taking_part(
        sessions, event.id, user_id
    )
    if taking_part:
        text += "\n\n" + texts.taking_part()
    return text, keyboards.announcement(event, taking_part)
