"""Calls and offers: what organisations post that is open now (partner calls, hosted events
and internships), found in the chat, the Mini App and the digest; the public channel."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "callbacks.FindAction",
        "callbacks.FindPress",
        "offers.Filters",
        "offers.KINDS",
        "offers.Offer",
        "offers.find",
        "offers.calls_for",
        "offers.recent_calls",
        "texts.filter_name",
        "texts.kind_label",
        "texts.listing",
        "texts.open_in_bot",
        "texts.yours",
    }
)
