"""Keyboards of partner search, cards, introductions, follow-ups and moderation."""

from __future__ import annotations

from urllib.parse import quote

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.directory import PAGE_SIZE, Filters, Page
from bot.services.followups import OUTCOMES
from bot.services.trust import REPORT_REASONS
from bot.ui import directory_texts as dt
from bot.ui import texts
from bot.ui.callbacks import (
    AdminAction,
    AdminPress,
    ContactAction,
    ContactPress,
    FollowUpPress,
    MenuAction,
    MenuPress,
    ReportPress,
    SearchAction,
    SearchPress,
)
from bot.ui.keyboards import callback_button

Row = list[InlineKeyboardButton]


def _menu_button() -> InlineKeyboardButton:
    return callback_button(texts.button("menu"), MenuPress(action=MenuAction.HOME))


def _filters_button() -> InlineKeyboardButton:
    return callback_button(dt.button("filters"), SearchPress(action=SearchAction.FILTERS))


def filters(current: Filters) -> InlineKeyboardMarkup:
    """One button per filter (showing its value), then Show results / Clear / Menu."""
    rows: list[Row] = []
    for name in dt.FILTER_VOCABULARIES:
        text = f"{dt.FILTER_ICONS[name]} {dt.filter_name(name)}: {dt.filter_value(current, name)}"
        rows.append([callback_button(text, SearchPress(action=SearchAction.CHOOSE, name=name))])
    tick = "✅ " if current.verified_only else "▫️ "
    rows.append(
        [
            callback_button(
                tick + dt.filter_name("verified_only"), SearchPress(action=SearchAction.VERIFIED)
            )
        ]
    )
    words = f"🔤 {dt.filter_name('text')}: {dt.filter_value(current, 'text')}"
    rows.append(
        [
            callback_button(
                words.replace("<", "").replace(">", ""), SearchPress(action=SearchAction.TEXT)
            )
        ]
    )
    rows.append([callback_button(dt.button("show"), SearchPress(action=SearchAction.RESULTS))])
    bottom = [_menu_button()]
    if not current.empty:
        bottom.insert(
            0, callback_button(dt.button("clear"), SearchPress(action=SearchAction.CLEAR))
        )
    rows.append(bottom)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def options(name: str, current: Filters) -> InlineKeyboardMarkup:
    """The options of one filter, the chosen one ticked, "any" and Back."""
    vocabulary = dt.FILTER_VOCABULARIES[name]
    chosen = getattr(current, name)
    buttons = [
        callback_button(
            ("✓ " if code == chosen else "") + texts.label(vocabulary, code),
            SearchPress(action=SearchAction.SET, name=name, value=code),
        )
        for code in vocabulary.codes
    ]
    width = 2 if name == "country" else 1
    rows = [buttons[i : i + width] for i in range(0, len(buttons), width)]
    rows.append(
        [
            callback_button(
                ("✓ " if not chosen else "") + dt.button("any"),
                SearchPress(action=SearchAction.SET, name=name, value=""),
            )
        ]
    )
    rows.append([callback_button(texts.button("back"), SearchPress(action=SearchAction.FILTERS))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def text_prompt() -> InlineKeyboardMarkup:
    """Under the free-text prompt: back to the filters."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(texts.button("back"), SearchPress(action=SearchAction.FILTERS))]
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
            callback_button(dt.button("previous"), SearchPress(action=action, page=page.number - 1))
        )
    if page.has_next:
        paging.append(
            callback_button(dt.button("next"), SearchPress(action=action, page=page.number + 1))
        )
    rows = [numbers]
    if paging:
        rows.append(paging)
    rows.append([_filters_button(), _menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def nothing_found(relaxations: list[str]) -> InlineKeyboardMarkup:
    """One button per filter whose removal would find something; then the filters."""
    rows = [
        [callback_button(dt.remove_filter(name), SearchPress(action=SearchAction.UNSET, name=name))]
        for name in relaxations
    ]
    rows.append([_filters_button(), _menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def back_to_search() -> InlineKeyboardMarkup:
    """Filters and menu."""
    return InlineKeyboardMarkup(inline_keyboard=[[_filters_button(), _menu_button()]])


def card(
    org: int, *, mode: str, page: int, share_link: str | None, name: str, own: bool = False
) -> InlineKeyboardMarkup:
    """Under a card: request contacts, share, report, back (our own: share and profile)."""
    rows: list[Row] = []
    if not own:
        request = ContactPress(action=ContactAction.REQUEST, org=org)
        rows.append([callback_button(dt.button("request"), request)])
    if share_link is not None:
        url = "https://t.me/share/url?url=" + quote(share_link, safe="")
        url += "&text=" + quote(dt.share_text(name), safe="")
        rows.append([InlineKeyboardButton(text=dt.button("share"), url=url)])
    if own:
        rows.append(
            [callback_button(texts.button("profile"), MenuPress(action=MenuAction.PROFILE))]
        )
    else:
        rows.append([callback_button(dt.button("report"), ReportPress(org=org))])
    if mode in {"r", "g"}:
        action = SearchAction.SUGGEST if mode == "g" else SearchAction.RESULTS
        rows.append(
            [callback_button(dt.button("to_results"), SearchPress(action=action, page=page))]
        )
    rows.append([_menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def answer_request(request: int, *, with_menu: bool = False) -> InlineKeyboardMarkup:
    """Accept / Decline under an incoming request (and the menu, in the inbox)."""
    rows: list[Row] = [
        [
            callback_button(
                dt.button("accept"), ContactPress(action=ContactAction.ACCEPT, request=request)
            ),
            callback_button(
                dt.button("decline"), ContactPress(action=ContactAction.DECLINE, request=request)
            ),
        ]
    ]
    if with_menu:
        rows.append([_menu_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def report_reasons(org: int) -> InlineKeyboardMarkup:
    """The reasons to report a profile, and Back to the card."""
    rows = [
        [callback_button(dt.report_reason(code), ReportPress(org=org, reason=code))]
        for code in REPORT_REASONS
    ]
    rows.append(
        [callback_button(texts.button("back"), SearchPress(action=SearchAction.CARD, org=org))]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def followup(request: int) -> InlineKeyboardMarkup:
    """The answers to "what came of it"."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [callback_button(dt.outcome(code), FollowUpPress(request=request, outcome=code))]
            for code in OUTCOMES
        ]
    )


def verification_decision(item: int) -> InlineKeyboardMarkup:
    """Approve / Reject for admins."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(
                    dt.button("approve"), AdminPress(action=AdminAction.APPROVE, item=item)
                ),
                callback_button(
                    dt.button("reject"), AdminPress(action=AdminAction.REJECT, item=item)
                ),
            ]
        ]
    )


def report_decision(item: int) -> InlineKeyboardMarkup:
    """Dismiss / Hide / Ban for admins."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(
                    dt.button("dismiss"), AdminPress(action=AdminAction.DISMISS, item=item)
                )
            ],
            [callback_button(dt.button("hide"), AdminPress(action=AdminAction.HIDE, item=item))],
            [callback_button(dt.button("ban"), AdminPress(action=AdminAction.BAN, item=item))],
        ]
    )
