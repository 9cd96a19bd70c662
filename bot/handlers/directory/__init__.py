"""Partner search and suggestions."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "callbacks.ContactAction",
        "callbacks.ContactPress",
        "callbacks.ReportPress",
        "callbacks.SearchAction",
        "callbacks.SearchPress",
        "search.Card",
        "search.Filters",
        "search.Page",
        "search.TextError",
        "search.card",
        "search.card_of",
        "search.count",
        "search.find",
        "search.match_profile",
        "search.me",
        "search.newcomers",
        "search.parse_text",
        "search.suggest",
        "texts.FILTER_NAMES",
        "texts.FILTER_VOCABULARIES",
        "texts.badge",
        "texts.banned",
        "texts.button",
        "texts.card",
        "texts.card_gone",
        "texts.filter_name",
        "texts.no_suggestions",
        "texts.nothing_found",
        "texts.suggestions_need_profile",
        "texts.text_problem",
        "views.show_card",
    }
)
