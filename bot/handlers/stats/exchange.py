"""/stats' exchange of experience (issue 21): the events, internships and partner calls
organisations posted, per kind and per host's country; the answers to them and how many
were accepted, between two countries or within one; the calls that found a partner, of
those whose host was asked. Its figures (grouped queries) and its lines on the screen of
the network at work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.stats import queries
from bot.i18n import _, number, plural
from bot.shared_texts import label
from bot.taxonomy import COUNTRIES

KINDS: Final = ("event", "internship", "call")


@dataclass(frozen=True)
class Exchange:
    """The figures of the exchange of experience."""

    posts: dict[str, dict[str, int]] = field(default_factory=dict)  # country → kind → posts
    across: tuple[int, int] = (0, 0)  # answers between two countries, accepted of them
    within: tuple[int, int] = (0, 0)  # answers within one country, accepted of them
    found: int = 0  # calls whose host said a partner was found …
    asked: int = 0  # … of those whose host answered the question

    def total(self, kind: str) -> int:
        """Posts of `kind`, every country."""
        return sum(kinds.get(kind, 0) for kinds in self.posts.values())

    @property
    def answers(self) -> int:
        return self.across[0] + self.within[0]

    @property
    def accepted(self) -> int:
        return self.across[1] + self.within[1]


async def load(session: AsyncSession) -> Exchange:
    """The figures, in the caller's read transaction."""
    posts: dict[str, dict[str, int]] = {}
    for kind, country, count in await queries.posts_by_country(session):
        kinds = posts.setdefault(country, {})
        kinds[kind] = kinds.get(kind, 0) + count
    sides = {True: [0, 0], False: [0, 0]}
    for across, _kind, count, accepted in await queries.answers_by_crossing(session):
        sides[across][0] += count
        sides[across][1] += accepted
    found, asked = await queries.partners_found(session)
    return Exchange(posts, (sides[True][0], sides[True][1]), (sides[False][0], sides[False][1]),
                    found, asked)  # fmt: skip


def _kinds(counts: dict[str, int]) -> str:
    """ "2 events, 1 internship, 0 partner calls" in the current language."""
    return ", ".join(
        (
            plural("{n} event", "{n} events", counts.get("event", 0)),
            plural("{n} internship", "{n} internships", counts.get("internship", 0)),
            plural("{n} partner call", "{n} partner calls", counts.get("call", 0)),
        )
    )


def _country_order(item: tuple[str, dict[str, int]]) -> tuple[int, int]:
    code, kinds = item
    position = COUNTRIES.codes.index(code) if code in COUNTRIES else len(COUNTRIES.codes)
    return -sum(kinds.values()), position


def lines(exchange: Exchange) -> list[str]:
    """The section of the network at work (its heading first, a blank line before it)."""
    heading = ["", _("📣 <b>Exchange of experience</b>")]
    if not exchange.posts and not exchange.answers and not exchange.asked:
        return [*heading, _("Organisations have posted nothing yet.")]
    totals = {kind: exchange.total(kind) for kind in KINDS}
    found = [
        *heading,
        _("Posted by organisations: {kinds}").format(kinds=_kinds(totals)),
    ]
    for code, kinds in sorted(exchange.posts.items(), key=_country_order):
        name = label(COUNTRIES, code) if code in COUNTRIES else code
        found.append(f"{name}: {_kinds(kinds)}")
    found += [
        plural(
            "{n} answer to posts, {accepted} accepted",
            "{n} answers to posts, {accepted} accepted",
            exchange.answers,
            accepted=number(exchange.accepted),
        ),
        plural(
            "Between two countries: {n} answer, {accepted} accepted",
            "Between two countries: {n} answers, {accepted} accepted",
            exchange.across[0],
            accepted=number(exchange.across[1]),
        ),
        plural(
            "Within one country: {n} answer, {accepted} accepted",
            "Within one country: {n} answers, {accepted} accepted",
            exchange.within[0],
            accepted=number(exchange.within[1]),
        ),
        plural(
            "Partner found: {found} of {n} partner call whose host was asked",
            "Partner found: {found} of {n} partner calls whose hosts were asked",
            exchange.asked,
            found=number(exchange.found),
        ),
    ]
    return found
