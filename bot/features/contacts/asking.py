"""Asking both sides of an introduction what came of it, two weeks later."""

from __future__ import annotations

import functools

from aiogram.types import InlineKeyboardMarkup

from bot.features.contacts import followups, keyboards, texts
from bot.scheduler import Runtime


def _followup(partner: str, request_id: int) -> tuple[str, InlineKeyboardMarkup]:
    return texts.followup_question(partner), keyboards.followup(request_id)


async def send_followups(runtime: Runtime) -> int:
    """Follow-up questions due now; returns how many were attempted."""
    sent = 0
    for question in await followups.claim_due(runtime.sessions, runtime.clock.now()):
        render = functools.partial(_followup, question.partner_name, question.request_id)
        await runtime.notifier.send(runtime.bot, question.user_id, question.language, render)
        sent += 1
    return sent
