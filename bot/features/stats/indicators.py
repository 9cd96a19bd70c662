"""Network statistics for admins: the study's indicators, live."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.taxonomy import BARRIERS, FOCUS_AREAS, FORMATS, TOPICS, Vocabulary
from db import repositories
from db.engine import Sessions, reading


@dataclass(frozen=True)
class Overview:
    """Users, and the active organisations: per country, with cross-border experience,
    what they can share and want to learn (per topic), formats, barriers, focus areas;
    introductions and what came of them. Tag counts follow the vocabulary's order."""

    users: int
    organisations: int
    by_country: dict[str, int]
    requests: dict[str, int] = field(default_factory=dict)  # per status
    outcomes: dict[str, int] = field(default_factory=dict)  # "what came of it" answers
    cross_border: int = 0
    can_share: dict[str, int] = field(default_factory=dict)  # topic → organisations
    want_learn: dict[str, int] = field(default_factory=dict)
    formats: dict[str, int] = field(default_factory=dict)
    barriers: dict[str, int] = field(default_factory=dict)
    focus_areas: dict[str, int] = field(default_factory=dict)

    def gaps(self) -> list[str]:
        """Topics by how much more they are wanted than offered, largest gap first (ties
        in the vocabulary's order: the sort is stable)."""
        return sorted(TOPICS.codes, key=lambda code: self.can_share[code] - self.want_learn[code])


def _every(vocabulary: Vocabulary, counts: dict[str, int]) -> dict[str, int]:
    return {code: counts.get(code, 0) for code in vocabulary.codes}


async def overview(sessions: Sessions) -> Overview:
    """Count users, organisations and their answers, introductions and their outcomes."""
    async with reading(sessions) as session:
        users = await repositories.count_users(session)
        by_country = await repositories.count_organisations_by_country(session)
        requests = await repositories.count_requests_by_status(session)
        outcomes = await repositories.count_outcomes(session)
        cross_border = await repositories.count_cross_border(session)
        tags = await repositories.count_tags(session)
    ordered = dict(sorted(by_country.items(), key=lambda item: (-item[1], item[0])))
    return Overview(
        users,
        sum(by_country.values()),
        ordered,
        requests,
        outcomes,
        cross_border,
        can_share=_every(TOPICS, tags.get("share", {})),
        want_learn=_every(TOPICS, tags.get("learn", {})),
        formats=_every(FORMATS, tags.get("format", {})),
        barriers=_every(BARRIERS, tags.get("barrier", {})),
        focus_areas=_every(FOCUS_AREAS, tags.get("focus", {})),
    )
