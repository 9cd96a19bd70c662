"""Asking the other side for its contacts, and both sides what came of it two weeks later."""

from __future__ import annotations

import functools

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup

from bot.delivery.notifier import Notifier
from bot.features.contacts import followups, keyboards, texts
from bot.features.contacts.introductions import Introduction
from bot.scheduler import Runtime


async def send_request(bot: Bot, notifier: Notifier, intro: Introduction) -> None:
    """The recipient's owner gets the requester's card with Accept and Decline, in their
    language (the chat's "Request contact" and the Mini App's both end here)."""
    sender = intro.sender
    await notifier.send(
        bot,
        intro.recipient.owner_id,
        intro.recipient.language,
        lambda: (texts.incoming_request(sender.card), keyboards.answer_request(intro.request_id)),
    )


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
