"""/start (an invitation's deep link included; other deep links aside), and the language
picker."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset()
