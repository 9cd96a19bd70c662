"""/stats sums several answer bits per aggregate, each in its own lane of the sum: the
figures are those of one bit per sum, and a country with more organisations than a lane
holds is counted again one bit per sum."""

from __future__ import annotations

import random
from typing import Any

import pytest

from bot.handlers.stats import queries
from bot.handlers.stats.indicators import _MASKS
from bot.taxonomy import BARRIERS, FOCUS_AREAS, FORMATS, TOPICS
from db.engine import Sessions, reading
from tests.directory_helpers import make_org

pytestmark = pytest.mark.databases("sqlite", "postgresql")

BITS = {column: len(vocabulary.codes) for column, (_name, vocabulary) in _MASKS.items()}


async def _organisations(sessions: Sessions) -> dict[str, dict[str, list[int]]]:
    """20 organisations in Kazakhstan and 3 in Armenia with random answers (every topic
    chosen by some, the last topic and focus area too: the highest bits; none to three
    barriers); what each country's bits should count."""
    rng = random.Random(7)
    expected: dict[str, dict[str, list[int]]] = {}
    for index in range(23):
        country = "KZ" if index < 20 else "AM"
        answers: dict[str, Any] = {
            "can_share": rng.sample(TOPICS.codes, rng.randint(1, len(TOPICS.codes))),
            "want_learn": [TOPICS.codes[-1], *rng.sample(TOPICS.codes, 2)],
            "formats": rng.sample(FORMATS.codes, rng.randint(1, len(FORMATS.codes))),
            "focus_areas": [FOCUS_AREAS.codes[-1]],
            "barriers": rng.sample(BARRIERS.codes, rng.randint(0, 3)),
        }
        await make_org(sessions, 9100 + index, country=country, **answers)
        counts = expected.setdefault(country, {column: [0] * BITS[column] for column in BITS})
        for column, (step, vocabulary) in _MASKS.items():
            for bit, code in enumerate(vocabulary.codes):
                counts[column][bit] += code in answers[step]
    return expected


async def test_lanes_count_what_one_bit_per_sum_counts(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = await _organisations(sessions)

    async def counted(lanes: int) -> dict[str, tuple[int, dict[str, list[int]]]]:
        async with reading(sessions) as session:
            rows = await queries.answers_by_country(session, BITS, lanes=lanes)
        return {country: (total, columns) for country, total, _crossed, _named, columns in rows}

    one_bit = await counted(1)
    assert one_bit == {"KZ": (20, expected["KZ"]), "AM": (3, expected["AM"])}
    assert await counted(queries.LANES) == one_bit
    # Lanes of 4 bits hold 15 organisations: Kazakhstan's 20 are counted one bit per sum.
    monkeypatch.setattr(queries, "LANE_BITS", 4)
    assert await counted(queries.LANES) == one_bit
