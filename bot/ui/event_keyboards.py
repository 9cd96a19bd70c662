"""Keyboards of events: RSVP, /events pages, the /event_new steps, /events_admin, settings."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.languages import LANGUAGES
from bot.services import zones
from bot.services.events import EventInfo
from bot.taxonomy import COUNTRIES, EVENT_KINDS, FOCUS_AREAS, TOPICS
from bot.ui import directory_texts as dt
from bot.ui import event_texts as et
from bot.ui import texts
from bot.ui.callbacks import (
    EventAction,
    EventAdminAction,
    EventAdminPress,
    EventPress,
    MenuAction,
    MenuPress,
    SettingsAction,
    SettingsPress,
)
from bot.ui.keyboards import callback_button

Rows = list[list[InlineKeyboardButton]]

CHOICES: dict[str, tuple[str, ...]] = {
    "topics": TOPICS.codes,
    "focus": FOCUS_AREAS.codes,
    "countries": COUNTRIES.codes,
    "languages": tuple(LANGUAGES),
}


def _admin(action: EventAdminAction, item: int = 0, code: str = "") -> EventAdminPress:
    return EventAdminPress(action=action, item=item, code=code)


def _pairs(buttons: list[InlineKeyboardButton], width: int = 2) -> Rows:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def rsvp(event_id: int) -> InlineKeyboardMarkup:
    """Under an announcement."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(
                    et.button("going"), EventPress(action=EventAction.GOING, item=event_id)
                ),
                callback_button(
                    et.button("not_going"), EventPress(action=EventAction.NOT_GOING, item=event_id)
                ),
            ]
        ]
    )


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
                dt.button("previous"), EventPress(action=EventAction.PAGE, item=page - 1)
            )
        )
    if has_next:
        paging.append(
            callback_button(dt.button("next"), EventPress(action=EventAction.PAGE, item=page + 1))
        )
    home = [callback_button(texts.button("menu"), MenuPress(action=MenuAction.HOME))]
    rows = [row for row in (numbers, paging, home) if row]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def kinds() -> InlineKeyboardMarkup:
    """Step 1 of /event_new."""
    buttons = [
        callback_button(et.kind_label(code), _admin(EventAdminAction.KIND, code=code))
        for code in EVENT_KINDS.codes
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*_pairs(buttons), _abort_row()])


def _abort_row() -> list[InlineKeyboardButton]:
    return [callback_button(et.button("abort"), _admin(EventAdminAction.ABORT))]


def step(back: bool, skip: bool = False) -> InlineKeyboardMarkup:
    """Under a typed step: Back (and Skip where optional), Stop."""
    row = []
    if back:
        row.append(callback_button(et.button("back"), _admin(EventAdminAction.BACK)))
    if skip:
        row.append(callback_button(et.button("skip"), _admin(EventAdminAction.SKIP)))
    return InlineKeyboardMarkup(inline_keyboard=[row, _abort_row()] if row else [_abort_row()])


def ticks(kind: str, chosen: Iterable[str]) -> InlineKeyboardMarkup:
    """A multi-select step: ticked values, Done (none ticked = all), Back, Stop."""
    picked = set(chosen)
    buttons = [
        callback_button(
            ("✅ " if code in picked else "") + texts.choice_label(kind, code),
            _admin(EventAdminAction.TICK, code=code),
        )
        for code in CHOICES[kind]
    ]
    done = et.button("done") if picked else f"{et.button('done')} ({et.button('all')})"
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *_pairs(buttons),
            [
                callback_button(et.button("back"), _admin(EventAdminAction.BACK)),
                callback_button(done, _admin(EventAdminAction.DONE)),
            ],
            _abort_row(),
        ]
    )


def preview() -> InlineKeyboardMarkup:
    """Under the preview: publish now, at a date, or keep as a draft."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(et.button("publish"), _admin(EventAdminAction.PUBLISH))],
            [callback_button(et.button("publish_at"), _admin(EventAdminAction.PUBLISH_AT))],
            [
                callback_button(et.button("draft"), _admin(EventAdminAction.DRAFT)),
                callback_button(et.button("back"), _admin(EventAdminAction.BACK)),
            ],
            _abort_row(),
        ]
    )


def admin_list(events: list[EventInfo]) -> InlineKeyboardMarkup:
    """For each event: publish (drafts), edit, cancel."""
    rows: Rows = []
    for event in events:
        row = []
        if event.status in ("draft", "scheduled"):
            row.append(
                callback_button(f"📣 #{event.id}", _admin(EventAdminAction.PUBLISH, event.id))
            )
        row.append(callback_button(f"✏️ #{event.id}", _admin(EventAdminAction.EDIT, event.id)))
        row.append(callback_button(f"🚫 #{event.id}", _admin(EventAdminAction.CANCEL, event.id)))
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def settings(on: bool, digest: bool) -> InlineKeyboardMarkup:
    """The events part of /settings, and the way back to the menu."""
    toggle = et.button("events_on" if on else "events_off")
    weekly = et.button("digest_on" if digest else "digest_off")
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(toggle, SettingsPress(action=SettingsAction.TOGGLE))],
            [callback_button(weekly, SettingsPress(action=SettingsAction.DIGEST))],
            [
                callback_button(et.button("kinds"), SettingsPress(action=SettingsAction.KINDS)),
                callback_button(et.button("topics"), SettingsPress(action=SettingsAction.TOPICS)),
            ],
            [callback_button(et.button("zone"), SettingsPress(action=SettingsAction.ZONES))],
        ]
    )


def kinds_picker(chosen: list[str] | None) -> InlineKeyboardMarkup:
    """Event kinds to follow (none recorded = all)."""
    followed = set(EVENT_KINDS.codes if chosen is None else chosen)
    buttons = [
        callback_button(
            ("✅ " if code in followed else "") + et.kind_label(code),
            SettingsPress(action=SettingsAction.KIND, value=code),
        )
        for code in EVENT_KINDS.codes
    ]
    back = callback_button(et.button("done"), MenuPress(action=MenuAction.SETTINGS))
    return InlineKeyboardMarkup(inline_keyboard=[*_pairs(buttons), [back]])


def topics_picker(chosen: list[str]) -> InlineKeyboardMarkup:
    """Topics whose events to announce, ticked."""
    buttons = [
        callback_button(
            ("✅ " if code in chosen else "") + texts.label(TOPICS, code),
            SettingsPress(action=SettingsAction.TOPIC, value=code),
        )
        for code in TOPICS.codes
    ]
    back = callback_button(et.button("done"), MenuPress(action=MenuAction.SETTINGS))
    return InlineKeyboardMarkup(inline_keyboard=[*_pairs(buttons), [back]])


def zone_picker(current: str) -> InlineKeyboardMarkup:
    """The common zones of the region, the current one ticked."""
    buttons = [
        callback_button(
            ("✅ " if zone == current else "") + zone,
            SettingsPress(action=SettingsAction.ZONE, value=str(index)),
        )
        for index, zone in enumerate(zones.CHOICES)
    ]
    back = callback_button(et.button("back"), SettingsPress(action=SettingsAction.ZONE))
    return InlineKeyboardMarkup(inline_keyboard=[*_pairs(buttons), [back]])
