"""The directory as a Telegram Mini App: the page, its JSON API and its buttons."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "server.set_chat_menu_button",
        "texts.button",
    }
)
