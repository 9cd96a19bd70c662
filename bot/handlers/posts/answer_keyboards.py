"""Keyboards of answers and closing: "📬 Answers to our posts", a post's answers,
"Was a partner found?"."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot import navigation
from bot.handlers.posts import answer_texts as texts
from bot.handlers.posts.callbacks import PostAction, PostPress
from bot.screens import callback_button, fitted_rows


def drop() -> InlineKeyboardMarkup:
    """Under the question of an answer (🙋 / 📝): a way out."""
    press = PostPress(action=PostAction.DROP)
    return InlineKeyboardMarkup(inline_keyboard=[[callback_button(texts.button("cancel"), press)]])


def decide(answer_id: int) -> InlineKeyboardMarkup:
    """Under the host's notice of an answer from an organisation connected already."""
    accept = PostPress(action=PostAction.ACCEPT, item=answer_id)
    decline = PostPress(action=PostAction.DECLINE, item=answer_id)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(texts.button("accept"), accept),
                callback_button(texts.button("decline"), decline),
            ]
        ]
    )


def found(call_id: int) -> InlineKeyboardMarkup:
    """Under "Was a partner found?"."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(
                    texts.button("yes"), PostPress(action=PostAction.FOUND, item=call_id)
                ),
                callback_button(
                    texts.button("no"), PostPress(action=PostAction.NOT_FOUND, item=call_id)
                ),
            ]
        ]
    )


def answers_list(posts: list[tuple[str, int]], page: int, has_next: bool) -> InlineKeyboardMarkup:
    """A number per post (`(kind, id)`: "call" or "" for an event), paging, the menu."""
    numbers = [
        callback_button(str(i), PostPress(action=PostAction.POST, item=post, kind=kind))
        for i, (kind, post) in enumerate(posts, start=1)
    ]
    paging = []
    if page > 0:
        paging.append(
            callback_button(
                texts.button("previous"), PostPress(action=PostAction.ANSWERS, item=page - 1)
            )
        )
    if has_next:
        paging.append(
            callback_button(
                texts.button("next"), PostPress(action=PostAction.ANSWERS, item=page + 1)
            )
        )
    rows = [*fitted_rows(numbers, 5), paging, [navigation.menu_button()]]
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def post(
    kind: str,
    post_id: int,
    can_close: bool,
    can_edit: bool,
    decidable: list[tuple[int, str]] | None = None,
) -> InlineKeyboardMarkup:
    """Under one of our posts: ✅ / ✖️ beside each waiting answer of an organisation
    connected already (`(answer id, its name)`), ⛔ Close (an open call or internship), ✏️
    Edit (one still open or published: a closed one cannot be edited), the list."""
    rows = []
    for answer_id, name in decidable or []:
        accept = PostPress(action=PostAction.ACCEPT_HERE, item=answer_id)
        decline = PostPress(action=PostAction.DECLINE_HERE, item=answer_id)
        rows.append(
            [
                callback_button(texts.decide_button(True, name), accept),
                callback_button(texts.decide_button(False, name), decline),
            ]
        )
    if can_close:
        close = PostPress(action=PostAction.CLOSE, item=post_id, kind=kind)
        rows.append([callback_button(texts.button("close"), close)])
    if can_edit:
        edit = PostPress(action=PostAction.EDIT, item=post_id, kind=kind)
        rows.append([callback_button(texts.button("edit"), edit)])
    rows.append([callback_button(texts.button("list"), PostPress(action=PostAction.ANSWERS))])
    rows.append([navigation.menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)
