"""Keyboards of posts."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot import navigation
from bot.handlers.events import keyboards as event_keyboards
from bot.handlers.events.callbacks import EventAdminAction
from bot.handlers.posts import answer_texts, texts
from bot.handlers.posts.callbacks import (
    PostAction,
    PostPress,
    PostStepPress,
    ReviewAction,
    ReviewPress,
)
from bot.handlers.posts.posting import KINDS
from bot.screens import Row, callback_button, fitted_rows
from bot.steps import Step


def step_press(action: EventAdminAction, code: str) -> CallbackData:
    """The presses of the member's wizard (the events' step keyboards make them)."""
    return PostStepPress(action=action, code=code)


def offer(draft: bool = False) -> InlineKeyboardMarkup:
    """What to post: an event or an internship we host, a partner call; and the menu
    (first, with `draft`: continue the one left midway)."""
    resume = [callback_button(texts.button("resume"), PostPress(action=PostAction.RESUME))]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *([resume] if draft else []),
            [callback_button(texts.button("event"), PostPress(action=PostAction.EVENT))],
            [callback_button(texts.button("internship"), PostPress(action=PostAction.INTERNSHIP))],
            [callback_button(texts.button("call"), PostPress(action=PostAction.CALL))],
            [callback_button(answer_texts.button("answers"), PostPress(action=PostAction.ANSWERS))],
            [navigation.menu_button()],
        ]
    )


def kinds() -> InlineKeyboardMarkup:
    """An event's first step: its kinds, « Back (to 📣 Offer or seek) beside ✖ Stop."""
    rows = list(event_keyboards.kinds(step_press, KINDS).inline_keyboard)
    back = callback_button(texts.button("back"), step_press(EventAdminAction.BACK, ""))
    rows[-1] = [back, *rows[-1]]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def step(back: bool, skip: bool) -> InlineKeyboardMarkup:
    return event_keyboards.step(back, skip, step_press)


def ticks(step_: Step, chosen: list[str]) -> InlineKeyboardMarkup:
    return event_keyboards.ticks(step_, chosen, step_press)


def _host_card(host_id: int | None) -> list[Row]:
    if host_id is None:
        return []
    card = PostPress(action=PostAction.CARD, item=host_id)
    return [[callback_button(texts.button("host_card"), card)]]


def preview(host_id: int) -> InlineKeyboardMarkup:
    """Under the member's preview: submit, the host's card, back, stop."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("submit"), PostPress(action=PostAction.SUBMIT))],
            *_host_card(host_id),
            [callback_button(texts.button("back"), step_press(EventAdminAction.BACK, ""))],
            event_keyboards.step(False, False, step_press).inline_keyboard[-1],
        ]
    )


def announcement(call_id: int, host_id: int) -> InlineKeyboardMarkup:
    """Under an announced partner call: We're interested, the host's card."""
    interest = PostPress(action=PostAction.INTEREST, item=call_id)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("interest"), interest)],
            *_host_card(host_id),
        ]
    )


def edit(post: int, kind: str = "") -> InlineKeyboardMarkup:
    """Under a rejection: open the post (`kind` "call": a partner call) again (once sent
    for review again or published, the press says so)."""
    press = PostPress(action=PostAction.REDO, item=post, kind=kind)
    return InlineKeyboardMarkup(inline_keyboard=[[callback_button(texts.button("edit"), press)]])


def decide(post: int, host_id: int | None, kind: str = "") -> InlineKeyboardMarkup:
    """Under a post to review: Approve, Reject, the host's card."""
    approve = ReviewPress(action=ReviewAction.APPROVE, item=post, kind=kind)
    reject = ReviewPress(action=ReviewAction.REJECT, item=post, kind=kind)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(texts.button("approve"), approve),
                callback_button(texts.button("reject"), reject),
            ],
            *_host_card(host_id),
        ]
    )


def reasons(post: int, kind: str = "") -> InlineKeyboardMarkup:
    """The reasons to reject, and back to Approve and Reject."""
    buttons = [
        callback_button(
            texts.reason_label(code),
            ReviewPress(action=ReviewAction.REASON, item=post, reason=code, kind=kind),
        )
        for code in texts.REASONS  # the codes review.REASONS checks, with their labels
    ]
    back = ReviewPress(action=ReviewAction.BACK, item=post, kind=kind)
    return InlineKeyboardMarkup(
        inline_keyboard=[*fitted_rows(buttons), [callback_button(texts.button("back"), back)]]
    )


def note(post: int, kind: str = "") -> InlineKeyboardMarkup:
    """While an admin may type a comment: reject without one, or back to the reasons."""
    bare = ReviewPress(action=ReviewAction.BARE, item=post, kind=kind)
    back = ReviewPress(action=ReviewAction.REJECT, item=post, kind=kind)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("bare"), bare)],
            [callback_button(texts.button("back"), back)],
        ]
    )


def waiting(posts: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """/review: each post's number (`(id, kind)`; a partner call's with 🤝) opens it."""
    buttons = [
        callback_button(
            f"🤝 #{post}" if kind else f"#{post}",
            ReviewPress(action=ReviewAction.OPEN, item=post, kind=kind),
        )
        for post, kind in posts
    ]
    return InlineKeyboardMarkup(inline_keyboard=fitted_rows(buttons, 5))
