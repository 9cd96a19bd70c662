"""Partner search and suggestions."""

# What other features may use of this one (tests/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "callbacks.SearchAction",
        "callbacks.SearchPress",
        "router.show_card",
        "search.Card",
        "search.card",
        "search.card_of",
        "search.match_profile",
        "search.me",
        "search.newcomers",
        "texts.banned",
        "texts.button",
        "texts.card",
        "texts.card_gone",
    }
)
