"""Admins' verification and report queues; users' reports."""

# What other features may use of this one (tests/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "callbacks.AdminPress",
        "keyboards.report_reasons",
        "reports.REPORT_REASONS",
        "reports.report",
        "texts.report_prompt",
        "texts.reported",
    }
)
