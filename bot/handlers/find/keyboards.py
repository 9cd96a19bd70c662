"""Keyboards of calls and offers: the list with its filters, one filter's options."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot import navigation, shared_texts
from bot.handlers.directory import texts as directory_texts
from bot.handlers.find import texts
from bot.handlers.find.callbacks import FindAction, FindPress
from bot.handlers.find.offers import KINDS, Filters, OfferPage
from bot.screens import Row, callback_button, fitted_rows
from bot.taxonomy import COUNTRIES, TOPICS


def _list(filters: Filters, page: int = 0) -> FindPress:
    return FindPress(
        action=FindAction.LIST,
        kind=filters.kind,
        topic=filters.topic,
        country=filters.country,
        page=page,
    )


def listing(page: OfferPage, filters: Filters, size: int) -> InlineKeyboardMarkup:
    """Numbers to open each post, the three filters, paging, the menu."""
    first = page.number * size + 1
    numbers = [
        callback_button(
            str(first + i),
            FindPress(
                action=FindAction.OPEN, item=offer.id, post="call" if offer.is_call else "event"
            ),
        )
        for i, offer in enumerate(page.offers)
    ]
    rows: list[Row] = [numbers] if numbers else []
    for name in texts.FILTER_NAMES:
        label = f"{texts.filter_name(name)}: {texts.value_label(name, getattr(filters, name))}"
        choose = FindPress(
            action=FindAction.CHOOSE,
            kind=filters.kind,
            topic=filters.topic,
            country=filters.country,
            name=name,
        )
        rows.append([callback_button(label, choose)])
    paging: Row = []
    if page.number > 0:
        paging.append(
            callback_button(directory_texts.button("previous"), _list(filters, page.number - 1))
        )
    if page.has_next:
        paging.append(
            callback_button(directory_texts.button("next"), _list(filters, page.number + 1))
        )
    if paging:
        rows.append(paging)
    rows.append([navigation.menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def options(name: str, filters: Filters) -> InlineKeyboardMarkup:
    """The values of one filter, the chosen one ticked, "any", and back to the list."""
    codes = {"kind": KINDS, "topic": TOPICS.codes, "country": COUNTRIES.codes}[name]
    chosen = getattr(filters, name)
    buttons = [
        callback_button(
            ("✓ " if code == chosen else "") + texts.value_label(name, code),
            _list(Filters(**{**filters.__dict__, name: code})),
        )
        for code in codes
    ]
    rows = fitted_rows(buttons, 2 if name == "country" else 1)
    anyone = _list(Filters(**{**filters.__dict__, name: ""}))
    rows.append(
        [callback_button(("✓ " if not chosen else "") + texts.value_label(name, ""), anyone)]
    )
    rows.append([callback_button(shared_texts.button("back"), _list(filters))])
    return InlineKeyboardMarkup(inline_keyboard=rows)
