"""Introductions with both sides' consent, and follow-ups."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "asking.send_request",
        "callbacks.ArrangePress",
        "followups.bring_forward",
        "followups.put_back",
        "introductions.Introduction",
        "introductions.RequestRefusal",
        "introductions.RequestRefused",
        "introductions.request_contact",
        "texts.refusal",
        "texts.request_sent",
    }
)
