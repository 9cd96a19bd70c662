"""The trust badge and who can find an organisation."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "badges.NOTE_MAX",
        "badges.PendingVerification",
        "badges.decide_verification",
        "badges.next_pending",
    }
)
