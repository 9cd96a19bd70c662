"""Presses of posts: offering, the member's wizard, and the admins' review."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.handlers.events.callbacks import EventAdminAction
from bot.navigation import Id


class PostAction(StrEnum):
    """A member's presses about their organisation's posts."""

    EVENT = "event"  # write an event we host
    INTERNSHIP = "intern"  # write an internship we host
    CALL = "call"  # write a partner call (we seek a partner)
    INTEREST = "interest"  # `item`: a partner call, answered "We're interested"
    SUBMIT = "submit"  # under the preview: send it for review
    EDIT = "edit"  # `item`: a rejected or published post (`kind`), opened at its preview
    REDO = "redo"  # ✏️ Edit under a rejection notice: EDIT while the post is still rejected
    RESUME = "resume"  # ✏️ Continue the draft left midway (📣 Offer or seek offers it)
    CARD = "card"  # `item`: the host organisation, its card sent below (the screen stays)
    ANSWERS = "answers"  # 📬 Answers to our posts; `item`: the page
    POST = "post"  # `item`: one of our posts, with its answers (`kind` "call" or "")
    CLOSE = "close"  # `item`: our call or internship (`kind`), closed to answers
    FOUND = "found"  # `item`: our closed call: a partner was found
    NOT_FOUND = "not_found"  # `item`: our closed call: no partner was found
    DROP = "drop"  # under the question of an answer (🙋 / 📝): leave it, nothing is sent
    ACCEPT = "accept"  # `item`: an answer without a contact request, accepted by the host
    DECLINE = "decline"  # `item`: … declined by the host
    ACCEPT_HERE = "acc_here"  # `item`: ACCEPT from its post's page in 📬 (the page redrawn)
    DECLINE_HERE = "dec_here"  # `item`: DECLINE from its post's page in 📬


class PostPress(CallbackData, prefix="po"):
    action: PostAction
    item: Id = 0
    kind: Annotated[str, Field(max_length=4)] = ""  # "": an event; "call": a partner call


class PostStepPress(CallbackData, prefix="pw"):
    """A press on a step of the member's wizard: the same actions as the admins' event
    wizard (its keyboards make them), answered by posts' own router."""

    action: EventAdminAction
    code: Annotated[str, Field(max_length=16)] = ""


class ReviewAction(StrEnum):
    """An admin's presses on a post waiting for review (the admin re-checked each time)."""

    OPEN = "open"  # from /review: the post with Approve and Reject
    APPROVE = "ok"
    REJECT = "no"  # the reasons to pick from
    REASON = "why"  # `reason` picked: an optional comment is asked
    BARE = "bare"  # reject without a comment
    BACK = "back"  # from the reasons, back to Approve and Reject


class ReviewPress(CallbackData, prefix="rv"):
    action: ReviewAction
    item: Id = 0  # the post (an event's id, or a partner call's with `kind` "call")
    reason: Annotated[str, Field(max_length=16)] = ""
    kind: Annotated[str, Field(max_length=4)] = ""  # "": an event; "call": a partner call
