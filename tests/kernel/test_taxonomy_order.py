"""The vocabularies whose order is stored (tag bit masks, bit i = the i-th code) only ever
grow at the end: a code inserted, moved or removed changes what every stored mask means."""

from __future__ import annotations

import pytest

from bot.taxonomy import BARRIERS, FOCUS_AREAS, FORMATS, TOPICS, Vocabulary

# Frozen copies of the stored order. When a code is appended to a vocabulary, append it
# here too; never edit the codes already listed.
STORED_ORDER: dict[str, tuple[Vocabulary, tuple[str, ...]]] = {
    "FOCUS_AREAS": (
        FOCUS_AREAS,
        (
            "children", "disability", "elderly", "health", "education", "ecology",
            "poverty", "culture", "volunteering", "migrants", "animals", "community",
            "other",
        ),
    ),
    "TOPICS": (
        TOPICS,
        (
            "core", "fundraising", "events", "government", "management", "impact",
            "volunteers", "communications", "projects", "reporting", "corporate", "legal",
            "digital",
        ),
    ),
    "FORMATS": (
        FORMATS,
        (
            "online_conf", "offline_conf", "internships", "webinars", "meetings",
            "joint_projects", "mentoring",
        ),
    ),
    "BARRIERS": (  # organisations.barrier_mask, for /stats (migration 0019)
        BARRIERS,
        (
            "strategy", "platforms", "cost", "political", "state_policy", "legislation",
            "language", "other",
        ),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", STORED_ORDER)
def test_stored_codes_keep_their_positions(name: str) -> None:
    vocabulary, frozen = STORED_ORDER[name]
    assert vocabulary.codes[: len(frozen)] == frozen, (
        f"{name}: codes already stored as mask bits were inserted, moved or removed; "
        "append new codes at the end only"
    )


@pytest.mark.parametrize("name", STORED_ORDER)
def test_stored_vocabularies_fit_their_mask_columns(name: str) -> None:
    vocabulary, _ = STORED_ORDER[name]
    assert len(vocabulary.codes) <= 31  # masks are signed 32-bit INTEGER columns
