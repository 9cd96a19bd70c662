"""The /stats screens for admins (overview, a group, a country, the network at work) and
the charts' words; the exports' rows are in exports.py."""

from __future__ import annotations

from typing import Final

from bot.handlers.stats import exchange
from bot.handlers.stats.indicators import ALL, GROUPS, SMALL, Counts, Network, Overview
from bot.i18n import _, duration, number, percent, plural, short_date
from bot.shared_texts import OUTCOME_LABELS, label, outcome_label
from bot.taxonomy import (
    BARRIERS,
    COUNTRIES,
    EVENT_KINDS,
    FOCUS_AREAS,
    FORMATS,
    N_,
    TOPICS,
    Vocabulary,
)

BUTTONS: Final[dict[str, str]] = {
    "chart": N_("📈 Chart: offered and wanted"),
    "csv": N_("📄 Table (CSV)"),
    "xlsx": N_("📗 Workbook (Excel)"),
    "countries": N_("🌍 By country"),
    "network": N_("🤝 The network at work"),
    "weekly": N_("📈 Chart: week by week"),
}

PLACES: Final[dict[str, str]] = {
    ALL: N_("All organisations"),
    "ru": N_("Russia"),
    "kam": N_("Kazakhstan, Armenia and Kyrgyzstan"),
    "cis": N_("Other CIS countries"),
}


def button(key: str) -> str:
    """The label of a button under /stats."""
    return _(BUTTONS[key])


def place(view: str) -> str:
    """The name of a view: all organisations, a group or a country."""
    if view in PLACES:
        return _(PLACES[view])
    return label(COUNTRIES, view)


def headline(name: str, counts: Counts) -> str:
    """The study's headline for a set of organisations: how many have worked across
    borders, of how many; the share only from `SMALL` organisations on; without
    organisations, just that."""
    if not counts.organisations:
        return _("{place}: no organisations yet").format(place=name)
    if counts.organisations < SMALL:
        return plural(
            "{place}: {k} of {n} organisation has worked across borders",
            "{place}: {k} of {n} organisations have worked across borders",
            counts.organisations,
            place=name,
            k=number(counts.cross_border),
        )
    return plural(
        "{place}: {k} of {n} organisation has worked across borders ({share})",
        "{place}: {k} of {n} organisations have worked across borders ({share})",
        counts.organisations,
        place=name,
        k=number(counts.cross_border),
        share=percent(counts.cross_border / counts.organisations),
    )


def _ranked(vocabulary: Vocabulary, counts: dict[str, int]) -> list[str]:
    ordered = sorted(counts.items(), key=lambda item: -item[1])  # ties: vocabulary order
    return [f"{label(vocabulary, code)}: {number(count)}" for code, count in ordered if count]


def _signed(value: int) -> str:
    return f"+{number(value)}" if value > 0 else number(value)


def supply_line(counts: Counts, code: str) -> str:
    """One topic: can share / want to learn / the gap (wanted minus offered)."""
    return (
        f"{label(TOPICS, code)}: {number(counts.can_share[code])} / "
        f"{number(counts.want_learn[code])} / {_signed(counts.gap(code))}"
    )


def _indicators(counts: Counts) -> list[str]:
    """Supply and demand (largest gap first, the order and the sign explained), formats,
    barriers (of those who answered: the question is optional), focus areas."""
    lines = [
        "",
        _("Can share / want to learn / gap, largest gap first:"),
        _(
            "(gap = want to learn minus can share; +: more want it than can teach it, "
            "-: more can teach it than want it)"
        ),
    ]
    lines += [
        supply_line(counts, code)
        for code in counts.gaps()
        if counts.can_share[code] or counts.want_learn[code]
    ]
    if any(counts.formats.values()):
        lines += ["", _("Preferred cooperation formats:"), *_ranked(FORMATS, counts.formats)]
    if any(counts.barriers.values()):
        lines += [
            "",
            plural(
                "Barriers they meet (of {n} organisation that named any):",
                "Barriers they meet (of {n} organisations that named any):",
                counts.named_barriers,
            ),
            *_ranked(BARRIERS, counts.barriers),
        ]
    if any(counts.focus_areas.values()):
        lines += ["", _("Focus areas:"), *_ranked(FOCUS_AREAS, counts.focus_areas)]
    return lines


def overview(stats: Overview) -> str:
    """/stats: users, the headline per group, organisations per country, the indicators of
    all organisations, introductions."""
    every = stats.view(ALL)
    lines = [
        _("📊 <b>NGO Bridge statistics</b>"),
        "",
        plural("{n} user", "{n} users", stats.users),
        plural("{n} organisation", "{n} organisations", every.organisations),
    ]
    if every.organisations:
        lines += ["", headline(place(ALL), every)]
        lines += [headline(place(group), stats.view(group)) for group in GROUPS]
    if stats.countries():
        lines += ["", _("Organisations by country:")]
        lines += [f"{label(COUNTRIES, code)}: {number(count)}" for code, count in stats.countries()]
    if every.organisations:
        lines += _indicators(every)
    if stats.requests:
        lines += [
            "",
            plural("{n} contact request", "{n} contact requests", sum(stats.requests.values())),
            _("accepted: {accepted}, declined: {declined}, unanswered: {pending}").format(
                accepted=number(stats.requests.get("accepted", 0)),
                declined=number(stats.requests.get("declined", 0)),
                pending=number(stats.requests.get("pending", 0)),
            ),
        ]
    if stats.outcomes:
        lines += ["", _("What came of the introductions:")]
        lines += [
            f"{outcome_label(code)}: {number(count)}"
            for code, count in sorted(stats.outcomes.items(), key=lambda item: -item[1])
            if code in OUTCOME_LABELS
        ]
    return "\n".join(lines)


def view(stats: Overview, code: str) -> str:
    """A group's or a country's indicators; a group of several countries lists them. Without
    organisations, it says so once."""
    counts = stats.view(code)
    lines = [f"📊 <b>{place(code)}</b>", ""]
    if not counts.organisations:
        return "\n".join([*lines, _("No organisations here yet.")])
    lines.append(headline(place(code), counts))
    if len(GROUPS.get(code, ())) > 1:
        present = [country for country in GROUPS[code] if stats.view(country).organisations]
        lines += [""]
        lines += [headline(place(country), stats.view(country)) for country in present]
        empty = [place(country) for country in GROUPS[code] if country not in present]
        if empty:
            lines.append(_("No organisations yet: {places}").format(places=", ".join(empty)))
    lines += _indicators(counts)
    return "\n".join(lines)


def _requests(counts: dict[str, int]) -> dict[str, str]:
    return {
        "sent": number(sum(counts.values())),
        "accepted": number(counts.get("accepted", 0)),
        "declined": number(counts.get("declined", 0)),
        "pending": number(counts.get("pending", 0)),
    }


def network(stats: Network) -> str:
    """The network at work: introductions, their outcomes, events, week by week."""
    lines = [_("🤝 <b>The network at work</b>"), ""]
    if not stats.requests:
        lines.append(_("No contact requests yet."))
    else:
        lines.append(
            _(
                "Contact requests: {sent} sent, {accepted} accepted, {declined} declined, "
                "{pending} unanswered"
            ).format(**_requests(stats.requests))
        )
        if stats.median_answer is not None:
            lines.append(
                _("Median time to an answer: {time}").format(time=duration(stats.median_answer))
            )
        lines += [
            _("Between two countries: {sent} sent, {accepted} accepted").format(
                **_requests(stats.across)
            ),
            _("Within one country: {sent} sent, {accepted} accepted").format(
                **_requests(stats.within)
            ),
        ]
    if stats.outcomes:
        lines += ["", _("What came of the introductions:")]
        lines += [
            f"{outcome_label(code)}: {number(count)}"
            for code, count in sorted(stats.outcomes.items(), key=lambda item: -item[1])
            if code in OUTCOME_LABELS
        ]
    lines += _calls(stats)
    lines += exchange.lines(stats.exchange)
    if stats.events:
        lines += ["", _("Events by kind (published / announced to / attending):")]
        lines += [
            f"{label(EVENT_KINDS, kind)}: " + " / ".join(number(n) for n in stats.events[kind])
            for kind in EVENT_KINDS.codes
            if kind in stats.events
        ]
    lines += ["", _("Week by week, from Monday (new organisations / requests / accepted):")]
    lines += [
        f"{short_date(start)}: {number(new)} / {number(sent)} / {number(accepted)}"
        for start, new, sent, accepted in zip(
            stats.weeks,
            stats.new_organisations,
            stats.new_requests,
            stats.acceptances,
            strict=True,
        )
    ]
    return "\n".join(lines)


def _calls(stats: Network) -> list[str]:
    """Video calls arranged through the bot: proposed, agreed, held; across borders or not."""
    if not stats.calls_across and not stats.calls_within:
        return []

    def counts(side: dict[str, int]) -> dict[str, str]:
        return {stage: number(side.get(stage, 0)) for stage in ("proposed", "agreed", "held")}

    total = {
        stage: stats.calls_across.get(stage, 0) + stats.calls_within.get(stage, 0)
        for stage in ("proposed", "agreed", "held")
    }
    lines = [
        "",
        _("📅 Calls: {proposed} proposed, {agreed} agreed, {held} held").format(**counts(total)),
        _("Between two countries: {proposed} proposed, {agreed} agreed, {held} held").format(
            **counts(stats.calls_across)
        ),
        _("Within one country: {proposed} proposed, {agreed} agreed, {held} held").format(
            **counts(stats.calls_within)
        ),
    ]
    if stats.median_to_call is not None:
        lines.append(
            _("Median time from an introduction to its call: {time}").format(
                time=duration(stats.median_to_call)
            )
        )
    return lines


def weekly_chart(stats: Network) -> tuple[str, list[str], list[tuple[str, list[int]]]]:
    """The weekly chart's title, its week labels (Mondays) and its three series."""
    return (
        _("New organisations, contact requests and acceptances per week"),
        [short_date(start) for start in stats.weeks],
        [
            (_("New organisations"), stats.new_organisations),
            (_("Contact requests"), stats.new_requests),
            (_("Accepted"), stats.acceptances),
        ],
    )


def pick_country() -> str:
    """Above the country picker."""
    return _("📊 Statistics of which country?")


def chart(stats: Overview, code: str) -> tuple[str, list[str], list[tuple[str, list[int]]]]:
    """The chart's title, its topic labels and its two series (can share, want to learn)
    for a view, in the current language."""
    counts = stats.view(code)
    codes = TOPICS.codes
    return (
        _("What organisations can share and want to learn: {place}").format(place=place(code)),
        [label(TOPICS, topic) for topic in codes],
        [
            (_("Can share"), [counts.can_share[topic] for topic in codes]),
            (_("Want to learn"), [counts.want_learn[topic] for topic in codes]),
        ],
    )
