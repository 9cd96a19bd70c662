"""The directory as a Telegram Mini App: the page and its JSON API (the chats' menu button
that opens it is the kernel's, bot/miniapp.py)."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset()
