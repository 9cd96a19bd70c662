"""Step-by-step conversations declared as data, and walking them.

A conversation is a tuple of `Step`s in the order they are asked. Answers travel as a
JSON-able dict keyed by each step's `answer_key`; which steps are asked, and which may be
skipped, can depend on the answers given so far.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.taxonomy import Vocabulary

Answers = Mapping[str, Any]


class Kind(StrEnum):
    """How a step is answered."""

    TEXT = "text"
    CHOICE = "choice"
    MULTI = "multi"
    YES_NO = "yes_no"
    MOMENT = "moment"  # a date and time, typed in the asker's time zone

    @property
    def typed(self) -> bool:
        """Answered by typing; the other kinds are answered with buttons."""
        return self in (Kind.TEXT, Kind.MOMENT)


@dataclass(frozen=True)
class Step:
    """One question: how it is answered, whether it may be skipped, its vocabulary (choice
    and multi-select steps), how a typed answer is parsed, and when it is asked."""

    code: str
    kind: Kind
    optional: bool = False
    vocabulary: Vocabulary | None = None
    parse: Callable[[str], str] | None = None
    applies: Callable[[Answers], bool] | None = None
    optional_if: Callable[[Answers], bool] | None = None  # optional only for some answers
    key: str = ""  # where the answer is kept, when not under `code`

    @property
    def answer_key(self) -> str:
        """The key of this step's answer in the answers."""
        return self.key or self.code

    def applies_to(self, answers: Answers) -> bool:
        """Whether this step is asked, given the answers so far."""
        return self.applies is None or self.applies(answers)

    def optional_for(self, answers: Answers) -> bool:
        """Whether this step may be skipped, given the answers so far."""
        return self.optional or (self.optional_if is not None and self.optional_if(answers))


def applying(steps: Sequence[Step], answers: Answers) -> list[Step]:
    """The steps that are asked given the answers so far, in order."""
    return [step for step in steps if step.applies_to(answers)]


def position(steps: Sequence[Step], code: str, answers: Answers) -> tuple[int, int]:
    """`(n, total)` for "Step n of total" (n is 1 for a step that is not asked)."""
    codes = [step.code for step in applying(steps, answers)]
    return (codes.index(code) + 1 if code in codes else 1), len(codes)


def next_code(steps: Sequence[Step], code: str, answers: Answers) -> str | None:
    """The step asked after `code` (the first one if `code` is not asked), or None after
    the last one."""
    codes = [step.code for step in applying(steps, answers)]
    index = codes.index(code) if code in codes else -1
    return codes[index + 1] if index + 1 < len(codes) else None


def previous_code(steps: Sequence[Step], code: str, answers: Answers) -> str | None:
    """The step asked before `code`, or None on the first one (or one that is not asked)."""
    codes = [step.code for step in applying(steps, answers)]
    index = codes.index(code) if code in codes else 0
    return codes[index - 1] if index > 0 else None


def toggled(step: Step, selected: Sequence[str], value: str) -> list[str]:
    """`selected` with `value` ticked or unticked, in the order of the step's vocabulary."""
    assert step.vocabulary is not None
    chosen = set(selected) ^ {value}
    return [code for code in step.vocabulary.codes if code in chosen]
