"""Presses in partner search and on an organisation's card: the card's "request contacts"
(ContactPress, handled by contacts, which also answers requests with it) and "report"
(ReportPress, handled by moderation) live here, with the card, so that the features
handling them depend on the directory and never the other way round."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.navigation import Id


class SearchAction(StrEnum):
    """Buttons of the partner search screens."""

    FILTERS = "filters"  # the filter screen
    CHOOSE = "choose"  # the options of one filter
    SET = "set"  # one option chosen ("" = any)
    UNSET = "unset"  # remove one filter ("nothing found")
    VERIFIED = "verified"  # toggle "verified only"
    TEXT = "text"  # ask for words
    CLEAR = "clear"
    RESULTS = "results"  # a page of results
    SUGGEST = "suggest"  # a page of suggestions
    CARD = "card"  # one organisation's card


class SearchPress(CallbackData, prefix="s"):
    """A press in partner search. `mode` says which list a card or page belongs to:
    "r" results, "g" suggestions, "" a card opened from a link or a message."""

    action: SearchAction
    name: str = ""
    value: str = ""
    page: Id = 0
    org: Id = 0
    mode: str = ""


class ContactAction(StrEnum):
    """Introduction buttons."""

    REQUEST = "request"
    ACCEPT = "accept"
    DECLINE = "decline"
    INBOX = "inbox"  # the oldest request waiting for our answer


class ContactPress(CallbackData, prefix="c"):
    """Request a card's contacts (`org`), or answer a request (`request`)."""

    action: ContactAction
    org: Id = 0
    request: Id = 0


class ReportPress(CallbackData, prefix="rp"):
    """Report an organisation; an empty reason asks for one."""

    org: Id
    reason: str = ""
