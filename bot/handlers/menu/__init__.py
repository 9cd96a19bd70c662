"""The main menu, /help and /cancel."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "texts.help_text",
        "views.screen",
        "views.show_menu",
    }
)
