"""Admins' decisions (a user's report, ReportPress, starts on the directory's card:
bot/handlers/directory/callbacks.py)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.navigation import AdminsOnly, Id


class AdminAction(StrEnum):
    """Admin decisions; every press is checked against ADMIN_IDS again."""

    APPROVE = "approve"
    REJECT = "reject"
    DISMISS = "dismiss"
    HIDE = "hide"
    BAN = "ban"


class AdminPress(CallbackData, AdminsOnly, prefix="adm"):
    """An admin's decision on a verification (`item` = its id) or a report."""

    action: AdminAction
    item: Id
