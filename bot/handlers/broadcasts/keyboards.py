"""Keyboards of the broadcast screens."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import shared_texts
from bot.delivery.broadcast_rows import Audience
from bot.handlers.broadcasts import texts
from bot.handlers.broadcasts.callbacks import AudienceKind, BroadcastAction, BroadcastPress
from bot.languages import LANGUAGES
from bot.screens import callback_button, fitted_rows
from bot.taxonomy import COUNTRIES, FOCUS_AREAS

CHOICES: dict[AudienceKind, tuple[str, ...]] = {
    AudienceKind.COUNTRIES: COUNTRIES.codes,
    AudienceKind.LANGUAGES: tuple(LANGUAGES),
    AudienceKind.FOCUS: FOCUS_AREAS.codes,
}


def _press(action: BroadcastAction, **fields: object) -> BroadcastPress:
    return BroadcastPress(action=action, **fields)


def _ticked(label: str, on: bool) -> str:
    return f"✅ {label}" if on else label


def setup(chosen: Audience, reach: int) -> InlineKeyboardMarkup:
    """Criteria (with how many values are ticked), verified only, Send and Cancel."""
    criteria = [
        callback_button(
            texts.button(kind.value)
            + (f" ({len(getattr(chosen, kind.value))})" if getattr(chosen, kind.value) else ""),
            _press(BroadcastAction.OPEN, kind=kind),
        )
        for kind in AudienceKind
    ]
    rows: list[list[InlineKeyboardButton]] = [
        criteria,
        [
            callback_button(
                _ticked(texts.button("verified"), chosen.verified), _press(BroadcastAction.VERIFIED)
            )
        ],
        [
            callback_button(texts.send_button(reach), _press(BroadcastAction.SEND)),
            callback_button(texts.button("cancel"), _press(BroadcastAction.CANCEL)),
        ],
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def picker(kind: AudienceKind, chosen: Audience) -> InlineKeyboardMarkup:
    """Every value of one criterion, ticked when chosen, two a row (a long label alone);
    Done goes back."""
    ticked = getattr(chosen, kind.value)
    buttons = [
        callback_button(
            _ticked(shared_texts.choice_label(kind.value, code), code in ticked),
            _press(BroadcastAction.TICK, kind=kind, code=code),
        )
        for code in CHOICES[kind]
    ]
    rows = fitted_rows(buttons)
    rows.append([callback_button(texts.button("done"), _press(BroadcastAction.BACK))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def running(broadcast_id: int) -> InlineKeyboardMarkup:
    """Under the live status: stop it."""
    stop = _press(BroadcastAction.STOP, item=broadcast_id)
    return InlineKeyboardMarkup(inline_keyboard=[[callback_button(texts.button("stop"), stop)]])
