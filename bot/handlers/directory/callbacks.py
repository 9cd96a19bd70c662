"""Presses in partner search."""

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
