"""Report reasons and admins' decisions."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot import shared_texts
from bot.handlers.directory import texts as directory_texts
from bot.handlers.directory.callbacks import ReportPress, SearchAction, SearchPress
from bot.handlers.moderation import texts
from bot.handlers.moderation.callbacks import AdminAction, AdminPress
from bot.handlers.moderation.reports import REPORT_REASONS
from bot.screens import callback_button


def report_reasons(org: int) -> InlineKeyboardMarkup:
    """The reasons to report a profile, and Back to the card."""
    rows = [
        [callback_button(texts.report_reason(code), ReportPress(org=org, reason=code))]
        for code in REPORT_REASONS
    ]
    rows.append(
        [
            callback_button(
                shared_texts.button("back"), SearchPress(action=SearchAction.CARD, org=org)
            )
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def verification_decision(item: int) -> InlineKeyboardMarkup:
    """Approve / Reject for admins."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(
                    directory_texts.button("approve"),
                    AdminPress(action=AdminAction.APPROVE, item=item),
                ),
                callback_button(
                    directory_texts.button("reject"),
                    AdminPress(action=AdminAction.REJECT, item=item),
                ),
            ]
        ]
    )


def report_decision(item: int) -> InlineKeyboardMarkup:
    """Dismiss / Hide / Ban for admins."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(
                    directory_texts.button("dismiss"),
                    AdminPress(action=AdminAction.DISMISS, item=item),
                )
            ],
            [
                callback_button(
                    directory_texts.button("hide"), AdminPress(action=AdminAction.HIDE, item=item)
                )
            ],
            [
                callback_button(
                    directory_texts.button("ban"), AdminPress(action=AdminAction.BAN, item=item)
                )
            ],
        ]
    )
