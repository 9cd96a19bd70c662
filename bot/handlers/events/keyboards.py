"""Keyboards of events: RSVP, /events pages, the /event_new steps, /events_admin, settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import shared_texts
from bot.handlers.directory import texts as directory_texts
from bot.handlers.events import texts
from bot.handlers.events.callbacks import EventAction, EventAdminAction, EventAdminPress, EventPress
from bot.handlers.events.drafts import EventInfo
from bot.navigation import ApplyPress, MenuAction, MenuPress
from bot.screens import Row, callback_button, fitted_rows
from bot.steps import Step
from bot.taxonomy import EVENT_KINDS


def _admin(action: EventAdminAction, item: int = 0, code: str = "") -> EventAdminPress:
    return EventAdminPress(action=action, item=item, code=code)


# The wizard's step keyboards make their presses with this: the admin's by default; a
# member's post (bot/handlers/posts/) gives its own, answered by its own router.
StepPress = Callable[[EventAdminAction, str], CallbackData]


def _admin_step(action: EventAdminAction, code: str) -> CallbackData:
    return _admin(action, code=code)


def rsvp(event_id: int) -> InlineKeyboardMarkup:
    """Under an announcement: I'll attend, Not going."""
    going = EventPress(action=EventAction.GOING, item=event_id)
    not_going = EventPress(action=EventAction.NOT_GOING, item=event_id)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(texts.button("going"), going),
                callback_button(texts.button("not_going"), not_going),
            ]
        ]
    )


def takes_applications(event: EventInfo) -> bool:
    """An internship an organisation hosts: applied to through posts (issue 21), never
    attended by "I'll attend"."""
    return event.draft.kind == "internship" and event.host_id is not None


def announcement(event: EventInfo, taking_part: bool = False) -> InlineKeyboardMarkup | None:
    """The buttons under an event wherever it is offered to be answered: its announcement,
    /events, calls and offers, a link opened from the channel: the RSVP buttons, or for an
    internship an organisation hosts 📝 Apply only (nothing once the reader is
    `taking_part`: their application was accepted)."""
    if not takes_applications(event):
        return rsvp(event.id)
    if taking_part:
        return None
    apply = callback_button(texts.button("apply"), ApplyPress(item=event.id))
    return InlineKeyboardMarkup(inline_keyboard=[[apply]])


def upcoming(events: list[EventInfo], page: int, has_next: bool) -> InlineKeyboardMarkup:
    """Numbered buttons to open each event, paging, and the menu."""
    numbers = [
        callback_button(str(i), EventPress(action=EventAction.OPEN, item=event.id))
        for i, event in enumerate(events, start=1)
    ]
    paging = []
    if page > 0:
        paging.append(
            callback_button(
                directory_texts.button("previous"),
                EventPress(action=EventAction.PAGE, item=page - 1),
            )
        )
    if has_next:
        paging.append(
            callback_button(
                directory_texts.button("next"), EventPress(action=EventAction.PAGE, item=page + 1)
            )
        )
    home = [callback_button(shared_texts.button("menu"), MenuPress(action=MenuAction.HOME))]
    rows = [row for row in (numbers, paging, home) if row]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def kinds(
    press: StepPress = _admin_step, codes: Iterable[str] = EVENT_KINDS.codes
) -> InlineKeyboardMarkup:
    """Step 1 of /event_new (a member's post offers fewer `codes`)."""
    buttons = [
        callback_button(texts.kind_label(code), press(EventAdminAction.KIND, code))
        for code in codes
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*fitted_rows(buttons), _abort_row(press)])


def _abort_row(press: StepPress = _admin_step) -> list[InlineKeyboardButton]:
    return [callback_button(texts.button("abort"), press(EventAdminAction.ABORT, ""))]


def step(back: bool, skip: bool = False, press: StepPress = _admin_step) -> InlineKeyboardMarkup:
    """Under a typed step: Back (and Skip where optional), Stop."""
    row = []
    if back:
        row.append(callback_button(texts.button("back"), press(EventAdminAction.BACK, "")))
    if skip:
        row.append(callback_button(texts.button("skip"), press(EventAdminAction.SKIP, "")))
    abort = _abort_row(press)
    return InlineKeyboardMarkup(inline_keyboard=[row, abort] if row else [abort])


def ticks(
    step: Step, chosen: Iterable[str], press: StepPress = _admin_step
) -> InlineKeyboardMarkup:
    """A multi-select step: ticked values, Done (none ticked = all), Back, Stop."""
    assert step.vocabulary is not None
    picked = set(chosen)
    buttons = [
        callback_button(
            ("✅ " if code in picked else "") + shared_texts.choice_label(step.code, code),
            press(EventAdminAction.TICK, code),
        )
        for code in step.vocabulary.codes
    ]
    done = texts.button("done") if picked else f"{texts.button('done')} ({texts.button('all')})"
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *fitted_rows(buttons),
            [
                callback_button(texts.button("back"), press(EventAdminAction.BACK, "")),
                callback_button(done, press(EventAdminAction.DONE, "")),
            ],
            _abort_row(press),
        ]
    )


def preview() -> InlineKeyboardMarkup:
    """Under the preview: publish now, at a date, or keep as a draft."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("publish"), _admin(EventAdminAction.PUBLISH))],
            [callback_button(texts.button("publish_at"), _admin(EventAdminAction.PUBLISH_AT))],
            [
                callback_button(texts.button("draft"), _admin(EventAdminAction.DRAFT)),
                callback_button(texts.button("back"), _admin(EventAdminAction.BACK)),
            ],
            _abort_row(),
        ]
    )


def admin_list(events: list[EventInfo]) -> InlineKeyboardMarkup:
    """For each event: publish (drafts), edit, cancel."""
    rows: list[Row] = []
    for event in events:
        row = []
        if event.status in ("draft", "scheduled"):
            row.append(
                callback_button(
                    f"📣 {texts.number_of(event.id)}", _admin(EventAdminAction.PUBLISH, event.id)
                )
            )
        number = texts.number_of(event.id)
        row.append(callback_button(f"✏️ {number}", _admin(EventAdminAction.EDIT, event.id)))
        row.append(callback_button(f"🚫 {number}", _admin(EventAdminAction.CANCEL, event.id)))
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_cancel(event_id: int) -> InlineKeyboardMarkup:
    """Under "Cancel «…»?": yes, or keep it."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(
                    texts.button("cancel_yes"),
                    _admin(EventAdminAction.CANCEL_CONFIRMED, event_id),
                ),
                callback_button(texts.button("keep"), _admin(EventAdminAction.KEEP, event_id)),
            ]
        ]
    )
