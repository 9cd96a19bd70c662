"""Keyboards of the trust badge and visibility screens."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import shared_texts
from bot.handlers.profile.callbacks import TrustAction, TrustPress
from bot.handlers.trust import texts
from bot.handlers.trust.visibility import AUDIENCE_CHOICES
from bot.navigation import MenuAction, MenuPress
from bot.screens import callback_button


def _to_profile_row() -> list[InlineKeyboardButton]:
    return [
        callback_button(shared_texts.button("to_profile"), MenuPress(action=MenuAction.PROFILE))
    ]


def badge(can_apply: bool) -> InlineKeyboardMarkup:
    """Under the badge screen: ask for verification (unless waiting), back to the profile."""
    rows = (
        [[callback_button(texts.button("apply"), TrustPress(action=TrustAction.APPLY))]]
        if can_apply
        else []
    )
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _to_profile_row()])


def visibility(current: str) -> InlineKeyboardMarkup:
    """The four visibility choices, the current one ticked, back to the profile."""
    rows = [
        [
            callback_button(
                ("✓ " if code == current else "") + texts.audience(code),
                TrustPress(action=TrustAction.AUDIENCE, value=code),
            )
        ]
        for code in AUDIENCE_CHOICES
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _to_profile_row()])


def website(current: str | None) -> InlineKeyboardMarkup:
    """Under the website question: keep the profile's website (if any) or none."""
    rows = []
    if current:
        rows.append(
            [
                callback_button(
                    texts.button("keep_site"), TrustPress(action=TrustAction.KEEP_WEBSITE)
                )
            ]
        )
    rows.append(
        [callback_button(texts.button("skip_site"), TrustPress(action=TrustAction.SKIP_WEBSITE))]
    )
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _to_profile_row()])


def to_profile() -> InlineKeyboardMarkup:
    """Only the way back to the profile."""
    return InlineKeyboardMarkup(inline_keyboard=[_to_profile_row()])
