"""Keyboards of partner search, cards, introductions, follow-ups and moderation."""

from __future__ import annotations

from urllib.parse import quote

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import navigation, shared_texts
from bot.handlers.directory import texts
from bot.handlers.directory.callbacks import (
    ContactAction,
    ContactPress,
    ReportPress,
    SearchAction,
    SearchPress,
)
from bot.handlers.directory.search import PAGE_SIZE, Filters, Page
from bot.navigation import MenuAction, MenuPress
from bot.screens import callback_button, fitted_rows

Row = list[InlineKeyboardButton]


def _filters_button() -> InlineKeyboardButton:
    return callback_button(texts.button("filters"), SearchPress(action=SearchAction.FILTERS))


def filters(current: Filters) -> InlineKeyboardMarkup:
    """One button per filter (showing its value), then Show results / Clear / Menu."""
    rows: list[Row] = []
    for name in texts.FILTER_VOCABULARIES:
        value = texts.filter_value(current, name)
        text = f"{texts.FILTER_ICONS[name]} {texts.filter_name(name)}: {value}"
        rows.append([callback_button(text, SearchPress(action=SearchAction.CHOOSE, name=name))])
    tick = "✅ " if current.verified_only else "▫️ "
    rows.append(
        [
            callback_button(
                tick + texts.filter_name("verified_only"), SearchPress(action=SearchAction.VERIFIED)
            )
        ]
    )
    words = f"🔤 {texts.filter_name('text')}: {texts.filter_value(current, 'text')}"
    rows.append(
        [
            callback_button(
                words.replace("<", "").replace(">", ""), SearchPress(action=SearchAction.TEXT)
            )
        ]
    )
    rows.append([callback_button(texts.button("show"), SearchPress(action=SearchAction.RESULTS))])
    bottom = [navigation.menu_button()]
    if not current.empty:
        bottom.insert(
            0, callback_button(texts.button("clear"), SearchPress(action=SearchAction.CLEAR))
        )
    rows.append(bottom)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def options(name: str, current: Filters) -> InlineKeyboardMarkup:
    """The options of one filter, the chosen one ticked, "any" and Back."""
    vocabulary = texts.FILTER_VOCABULARIES[name]
    chosen = getattr(current, name)
    buttons = [
        callback_button(
            ("✓ " if code == chosen else "") + shared_texts.label(vocabulary, code),
            SearchPress(action=SearchAction.SET, name=name, value=code),
        )
        for code in vocabulary.codes
    ]
    rows = fitted_rows(buttons, 2 if name == "country" else 1)
    rows.append(
        [
            callback_button(
                ("✓ " if not chosen else "") + texts.button("any"),
                SearchPress(action=SearchAction.SET, name=name, value=""),
            )
        ]
    )
    rows.append(
        [callback_button(shared_texts.button("back"), SearchPress(action=SearchAction.FILTERS))]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def text_prompt() -> InlineKeyboardMarkup:
    """Under the free-text prompt: back to the filters."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(shared_texts.button("back"), SearchPress(action=SearchAction.FILTERS))]
        ]
    )


def results(page: Page, *, suggestions: bool) -> InlineKeyboardMarkup:
    """Numbers to open the cards, paging, and the way back."""
    mode = "g" if suggestions else "r"
    first = page.number * PAGE_SIZE + 1
    numbers = [
        callback_button(
            str(first + i),
            SearchPress(action=SearchAction.CARD, org=card.id, page=page.number, mode=mode),
        )
        for i, card in enumerate(page.cards)
    ]
    action = SearchAction.SUGGEST if suggestions else SearchAction.RESULTS
    paging: Row = []
    if page.number > 0:
        paging.append(
            callback_button(
                texts.button("previous"), SearchPress(action=action, page=page.number - 1)
            )
        )
    if page.has_next:
        paging.append(
            callback_button(texts.button("next"), SearchPress(action=action, page=page.number + 1))
        )
    rows = [numbers]
    if paging:
        rows.append(paging)
    rows.append([_filters_button(), navigation.menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def nothing_found(relaxations: list[str]) -> InlineKeyboardMarkup:
    """One button per filter whose removal would find something; then the filters."""
    rows = [
        [
            callback_button(
                texts.remove_filter(name), SearchPress(action=SearchAction.UNSET, name=name)
            )
        ]
        for name in relaxations
    ]
    rows.append([_filters_button(), navigation.menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def back_to_search() -> InlineKeyboardMarkup:
    """Filters and menu."""
    return InlineKeyboardMarkup(inline_keyboard=[[_filters_button(), navigation.menu_button()]])


def card(
    org: int, *, mode: str, page: int, share_link: str | None, name: str, own: bool = False
) -> InlineKeyboardMarkup:
    """Under a card: request contacts, share, report, back (our own: share and profile)."""
    rows: list[Row] = []
    if not own:
        request = ContactPress(action=ContactAction.REQUEST, org=org)
        rows.append([callback_button(texts.button("request"), request)])
    if share_link is not None:
        url = "https://t.me/share/url?url=" + quote(share_link, safe="")
        url += "&text=" + quote(texts.share_text(name), safe="")
        rows.append([InlineKeyboardButton(text=texts.button("share"), url=url)])
    if own:
        rows.append(
            [callback_button(shared_texts.button("profile"), MenuPress(action=MenuAction.PROFILE))]
        )
    else:
        rows.append([callback_button(texts.button("report"), ReportPress(org=org))])
    if mode in {"r", "g"}:
        action = SearchAction.SUGGEST if mode == "g" else SearchAction.RESULTS
        rows.append(
            [callback_button(texts.button("to_results"), SearchPress(action=action, page=page))]
        )
    rows.append([navigation.menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)
