"""Network statistics for admins."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import repositories
from db.engine import reading


@dataclass(frozen=True)
class Overview:
    """Headline figures: users, organisations, organisations per country."""

    users: int
    organisations: int
    by_country: dict[str, int]
    requests: dict[str, int] = field(default_factory=dict)  # per status
    outcomes: dict[str, int] = field(default_factory=dict)  # "what came of it" answers


async def overview(sessions: async_sessionmaker[AsyncSession]) -> Overview:
    """Count users, organisations, introductions and what came of them."""
    async with reading(sessions) as session:
        users = await repositories.count_users(session)
        by_country = await repositories.count_organisations_by_country(session)
        requests = await repositories.count_requests_by_status(session)
        outcomes = await repositories.count_outcomes(session)
    ordered = dict(sorted(by_country.items(), key=lambda item: (-item[1], item[0])))
    return Overview(users, sum(by_country.values()), ordered, requests, outcomes)
