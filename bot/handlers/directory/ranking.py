"""How well two organisations fit: the "suggested for you" ranking, with its weights.

The score is linear, so the same rule runs as pure Python (`score`, for tests and
reasoning) and inside the database (`terms_for`, rendered to SQL by `db.directory`) without
loading profiles into Python. A test checks that both orders agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.handlers.directory.queries import ScoreTerms


@dataclass(frozen=True)
class Weights:
    """Points per match. Complementarity dominates: what they can teach us counts most
    (we came to learn), then what we can teach them; shared focus areas and formats make
    cooperation easier; another country is the point of the network; the badge adds trust."""

    they_teach_us: int = 4  # per topic they can share and we want to learn
    we_teach_them: int = 3  # per topic we can share and they want to learn
    shared_focus: int = 1  # per focus area in common
    common_format: int = 1  # per cooperation format in common
    other_country: int = 2  # they work in another country
    verified: int = 2  # they hold a valid trust badge


WEIGHTS: Final = Weights()


@dataclass(frozen=True)
class MatchProfile:
    """What ranking needs of an organisation: its tags as bit masks, country and badge."""

    share: int
    learn: int
    focus: int
    formats: int
    country: str
    verified: bool = False


def _common(a: int, b: int) -> int:
    return (a & b).bit_count()


def complementarity(us: MatchProfile, them: MatchProfile, weights: Weights = WEIGHTS) -> int:
    """Points for what each side can teach the other."""
    return weights.they_teach_us * _common(them.share, us.learn) + weights.we_teach_them * (
        _common(us.share, them.learn)
    )


def score(us: MatchProfile, them: MatchProfile, weights: Weights = WEIGHTS) -> int:
    """How strongly `them` is suggested to `us` (higher first)."""
    return (
        complementarity(us, them, weights)
        + weights.shared_focus * _common(us.focus, them.focus)
        + weights.common_format * _common(us.formats, them.formats)
        + (weights.other_country if them.country != us.country else 0)
        + (weights.verified if them.verified else 0)
    )


def terms_for(us: MatchProfile, weights: Weights = WEIGHTS, *, suggest: bool) -> ScoreTerms:
    """`score` against `us` as database terms. With `suggest`, only organisations that
    can teach us something or learn something from us qualify."""
    return ScoreTerms(
        masks=(
            ("share_mask", us.learn, weights.they_teach_us),
            ("learn_mask", us.share, weights.we_teach_them),
            ("focus_mask", us.focus, weights.shared_focus),
            ("format_mask", us.formats, weights.common_format),
        ),
        foreign_bonus=weights.other_country,
        home_country=us.country,
        verified_bonus=weights.verified,
        required=("share_mask", "learn_mask") if suggest else (),
    )
