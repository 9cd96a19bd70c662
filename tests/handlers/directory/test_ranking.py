"""The "suggested for you" ranking: hand-made cases, and SQL agreeing with the pure rule."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.handlers.directory import queries, search
from bot.handlers.directory.ranking import WEIGHTS, MatchProfile, score
from bot.taxonomy import FOCUS_AREAS, FORMATS, TOPICS
from db.engine import Sessions
from tests.directory_helpers import make_org, set_org

pytestmark = pytest.mark.databases("sqlite", "postgresql")

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def profile(
    share: Sequence[str] = (),
    learn: Sequence[str] = (),
    focus: Sequence[str] = (),
    formats: Sequence[str] = (),
    country: str = "KZ",
    verified: bool = False,
) -> MatchProfile:
    return MatchProfile(
        TOPICS.mask(share), TOPICS.mask(learn), FOCUS_AREAS.mask(focus),
        FORMATS.mask(formats), country, verified,
    )  # fmt: skip


US = profile(share=["fundraising"], learn=["impact", "management"], focus=["children"],
             formats=["webinars"])  # fmt: skip


def test_what_they_teach_us_counts_most_then_what_we_teach_them() -> None:
    teaches_us = profile(share=["impact"])
    learns_from_us = profile(learn=["fundraising"])
    same_focus = profile(focus=["children"], formats=["webinars"])
    assert score(US, teaches_us) > score(US, learns_from_us) > score(US, same_focus) > 0
    both_ways = profile(share=["impact"], learn=["fundraising"])
    assert score(US, both_ways) == WEIGHTS.they_teach_us + WEIGHTS.we_teach_them


def test_other_country_and_badge_add_a_bonus_but_do_not_beat_a_teacher() -> None:
    at_home = profile(share=["impact"])
    abroad = profile(share=["impact"], country="AM")
    verified = profile(share=["impact"], verified=True)
    assert score(US, abroad) == score(US, at_home) + WEIGHTS.other_country
    assert score(US, verified) == score(US, at_home) + WEIGHTS.verified
    stranger_abroad_verified = profile(country="AM", verified=True)
    assert score(US, stranger_abroad_verified) < score(US, profile(share=["impact", "management"]))


def test_more_topics_in_common_rank_higher() -> None:
    one = profile(share=["impact"])
    two = profile(share=["impact", "management"])
    assert score(US, two) - score(US, one) == WEIGHTS.they_teach_us


async def test_database_order_matches_the_pure_rule(
    sessions: Sessions,
) -> None:
    rng = random.Random(7)
    me_id = await make_org(
        sessions, 1, can_share=["fundraising", "legal"], want_learn=["impact", "digital"]
    )
    expected: dict[int, int] = {}
    me = MatchProfile(TOPICS.mask(["fundraising", "legal"]), TOPICS.mask(["impact", "digital"]),
                      FOCUS_AREAS.mask(["children"]), FORMATS.mask(["webinars"]), "KZ")  # fmt: skip
    for user_id in range(2, 40):
        answers: dict[str, Any] = {
            "can_share": rng.sample(TOPICS.codes, rng.randint(1, 3)),
            "want_learn": rng.sample(TOPICS.codes, rng.randint(1, 3)),
            "focus_areas": rng.sample(FOCUS_AREAS.codes, rng.randint(1, 2)),
            "formats": rng.sample(FORMATS.codes, rng.randint(1, 2)),
            "country": rng.choice(["KZ", "AM", "RU"]),
        }
        org_id = await make_org(sessions, user_id, name=f"Org {user_id}", **answers)
        if user_id % 10 == 0:  # hidden, banned or unlisted: never suggested
            removed: list[dict[str, Any]] = [
                {"status": "hidden"},
                {"status": "banned"},
                {"listed": False},
            ]
            out = removed[user_id // 10 - 1]
            await set_org(sessions, org_id, **out)
            continue
        verified = rng.random() < 0.3
        if verified:
            await set_org(sessions, org_id, verified_at=NOW, verified_until=NOW.replace(year=2027))
        them = MatchProfile(
            TOPICS.mask(answers["can_share"]), TOPICS.mask(answers["want_learn"]),
            FOCUS_AREAS.mask(answers["focus_areas"]), FORMATS.mask(answers["formats"]),
            answers["country"], verified,
        )  # fmt: skip
        if them.share & me.learn or me.share & them.learn:  # suggestions need a teacher or learner
            expected[org_id] = score(me, them)
    mine = await search.me(sessions, 1, NOW)
    assert mine is not None and mine.id == me_id
    got: list[int] = []
    page = 0
    while True:
        result = await search.suggest(sessions, mine, page, NOW)
        got += [card.id for card in result.cards]
        if not result.has_next:
            break
        page += 1
    assert set(got) == set(expected)
    assert [expected[i] for i in got] == sorted(expected.values(), reverse=True)
    # Ties are broken by newest first.
    for a, b in itertools.pairwise(got):
        if expected[a] == expected[b]:
            assert a > b


@pytest.mark.parametrize("path", ["threshold", "scan"])
async def test_the_threshold_search_gives_every_viewer_exactly_the_full_ranking(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """Many viewers (1 to 5 topics each way) over 150 organisations: every page equals
    the pure rule applied to everyone, sorted by score then newest, whether pages come
    from the overlap classes or (as deep pages do) from one scored scan."""
    if path == "scan":
        monkeypatch.setattr(queries, "THRESHOLD_MAX_ROWS", 0)
    rng = random.Random(11)
    profiles: dict[int, MatchProfile] = {}
    for user_id in range(1, 151):
        answers: dict[str, Any] = {
            "can_share": rng.sample(TOPICS.codes, rng.randint(1, 5)),
            "want_learn": rng.sample(TOPICS.codes, rng.randint(1, 5)),
            "focus_areas": rng.sample(FOCUS_AREAS.codes, rng.randint(1, 3)),
            "formats": rng.sample(FORMATS.codes, rng.randint(1, 3)),
            "country": rng.choice(["KZ", "AM"]),
        }
        org_id = await make_org(sessions, user_id, name=f"Org {user_id}", **answers)
        profiles[org_id] = MatchProfile(
            TOPICS.mask(answers["can_share"]), TOPICS.mask(answers["want_learn"]),
            FOCUS_AREAS.mask(answers["focus_areas"]), FORMATS.mask(answers["formats"]),
            answers["country"],
        )  # fmt: skip
    for viewer in (1, 17, 42, 99, 150):
        mine = await search.me(sessions, viewer, NOW)
        assert mine is not None
        me = profiles[mine.id]
        qualified = [
            (score(me, them), org_id)
            for org_id, them in profiles.items()
            if org_id != mine.id and (them.share & me.learn or me.share & them.learn)
        ]
        expected = [org_id for _, org_id in sorted(qualified, reverse=True)]
        got: list[int] = []
        for page in range(len(expected) // 5 + 2):
            result = await search.suggest(sessions, mine, page, NOW)
            if result.moved:
                break
            got += [card.id for card in result.cards]
        assert got == expected, viewer
