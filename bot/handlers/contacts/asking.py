"""Asking the other side for its contacts, and both sides what came of it two weeks later."""

from __future__ import annotations

import functools

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup

from bot.delivery.notifier import Notifier
from bot.handlers.contacts import followups, introductions, keyboards, texts
from bot.handlers.contacts.introductions import Introduction
from bot.scheduler import Runtime
from db.engine import Sessions


async def send_request(
    bot: Bot, sessions: Sessions, notifier: Notifier, intro: Introduction
) -> None:
    """Every member of the recipient organisation gets the requester's card with Accept and
    Decline, in their own language; each copy is remembered so that the first answer can
    close the others (the chat's "Request contact" and the Mini App's both end here)."""
    sender = intro.sender
    copies = await notifier.post_to_each(
        bot,
        intro.recipient.members,
        lambda: (texts.incoming_request(sender.card), keyboards.answer_request(intro.request_id)),
    )
    await introductions.record_copies(sessions, intro.request_id, copies)


def _followup(partner: str, request_id: int, after_call: bool) -> tuple[str, InlineKeyboardMarkup]:
    question = (
        texts.followup_after_call(partner) if after_call else texts.followup_question(partner)
    )
    return question, keyboards.followup(request_id)


async def send_followups(runtime: Runtime) -> int:
    """Follow-up questions due now; returns how many were attempted."""
    sent = 0
    for question in await followups.claim_due(runtime.sessions, runtime.clock.now()):
        render = functools.partial(
            _followup, question.partner_name, question.request_id, question.after_call
        )
        await runtime.notifier.send(runtime.bot, question.user_id, question.language, render)
        sent += 1
    return sent
