"""Posts: organisations post the events they host; admins review them (issue 21)."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "answer_texts.action",
        "answering.cleaned",
        "answering.deliver",
        "answering.problem",
        "answers.KINDS",
        "answers.AnswerLimit",
        "answers.declined_posts",
        "answers.limit_of",
        "answers.send",
        "call_texts.announcement",
        "calls.CallInfo",
        "calls.info_of",
        "calls.load",
        "keyboards.announcement",
        "leaving.discard",
    }
)
