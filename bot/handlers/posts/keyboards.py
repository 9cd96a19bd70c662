"""Keyboards of posts."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot import navigation
from bot.handlers.events import keyboards as event_keyboards
from bot.handlers.events.callbacks import EventAdminAction
from bot.handlers.posts import texts
from bot.handlers.posts.callbacks import (
    PostAction,
    PostPress,
    PostStepPress,
    ReviewAction,
    ReviewPress,
)
from bot.handlers.posts.posting import KINDS
from bot.handlers.posts.review import REASONS
from bot.screens import Row, callback_button, fitted_rows
from bot.steps import Step


def step_press(action: EventAdminAction, code: str) -> CallbackData:
    """The presses of the member's wizard (the events' step keyboards make them)."""
    return PostStepPress(action=action, code=code)


def offer() -> InlineKeyboardMarkup:
    """What to post (one kind for now), and the menu."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("event"), PostPress(action=PostAction.EVENT))],
            [navigation.menu_button()],
        ]
    )


def kinds() -> InlineKeyboardMarkup:
    return event_keyboards.kinds(step_press, KINDS)


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


def edit(post: int) -> InlineKeyboardMarkup:
    """Under a rejection: open the post again."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("edit"), PostPress(action=PostAction.EDIT, item=post))]
        ]
    )


def decide(post: int, host_id: int | None) -> InlineKeyboardMarkup:
    """Under a post to review: Approve, Reject, the host's card."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(
                    texts.button("approve"), ReviewPress(action=ReviewAction.APPROVE, item=post)
                ),
                callback_button(
                    texts.button("reject"), ReviewPress(action=ReviewAction.REJECT, item=post)
                ),
            ],
            *_host_card(host_id),
        ]
    )


def reasons(post: int) -> InlineKeyboardMarkup:
    """The reasons to reject, and back to Approve and Reject."""
    buttons = [
        callback_button(
            texts.reason_label(code),
            ReviewPress(action=ReviewAction.REASON, item=post, reason=code),
        )
        for code in REASONS
    ]
    back = ReviewPress(action=ReviewAction.BACK, item=post)
    return InlineKeyboardMarkup(
        inline_keyboard=[*fitted_rows(buttons), [callback_button(texts.button("back"), back)]]
    )


def note(post: int) -> InlineKeyboardMarkup:
    """While an admin may type a comment: reject without one, or back to the reasons."""
    bare = ReviewPress(action=ReviewAction.BARE, item=post)
    back = ReviewPress(action=ReviewAction.REJECT, item=post)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("bare"), bare)],
            [callback_button(texts.button("back"), back)],
        ]
    )


def waiting(posts: list[int]) -> InlineKeyboardMarkup:
    """/review: each post's number opens it."""
    buttons = [
        callback_button(f"#{post}", ReviewPress(action=ReviewAction.OPEN, item=post))
        for post in posts
    ]
    return InlineKeyboardMarkup(inline_keyboard=fitted_rows(buttons, 5))
