"""Video calls between introduced organisations: proposing times, picking one, the calendar
file and the video link, reminders, moving and cancelling."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset()
