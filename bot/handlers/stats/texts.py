"""The /stats screens for admins (overview, a group, a country), the chart's words and
the CSV table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Final

from bot.handlers.stats import exchange
from bot.handlers.stats.indicators import ALL, GROUPS, SMALL, Counts, Network, Overview
from bot.i18n import NC_, _, duration, number, percent, pgettext, plural, short_date
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


def table_caption() -> str:
    """With the CSV file."""
    return _("All figures of /stats as a table (UTF-8 CSV; opens in Excel and LibreOffice).")


Row = tuple[str, str, str, str, str, int | float | None]
HEADER: Final = ("scope", "scope_label", "indicator", "code", "label", "value")


def _of(subject: str, measure: str) -> str:
    """A row's label that names what is counted and of what ("Fundraising — can share"):
    rows of one scope are told apart by their labels alone."""
    return f"{subject} — {measure}"


def _scope_rows(scope: str, name: str, counts: Counts) -> Iterator[Row]:
    yield scope, name, "organisations", "", _("Organisations"), counts.organisations
    yield scope, name, "cross_border", "", _("Have worked across borders"), counts.cross_border
    for code in TOPICS.codes:
        topic = label(TOPICS, code)
        share, learn = counts.can_share[code], counts.want_learn[code]
        yield scope, name, "can_share", code, _of(topic, _("can share")), share
        yield scope, name, "want_to_learn", code, _of(topic, _("want to learn")), learn
        gap = _of(topic, _("gap (want to learn minus can share)"))
        yield scope, name, "gap", code, gap, counts.gap(code)
    named = _("Named any barrier (the question is optional)")
    yield scope, name, "named_any_barrier", "", named, counts.named_barriers
    for indicator, vocabulary, values, subject in (
        ("format", FORMATS, counts.formats, _("Cooperation format")),
        ("barrier", BARRIERS, counts.barriers, _("Barrier")),
        ("focus_area", FOCUS_AREAS, counts.focus_areas, _("Focus area")),
    ):
        for code, count in values.items():
            yield scope, name, indicator, code, _of(subject, label(vocabulary, code)), count


SHEET_NAMES: Final[dict[str, tuple[str, str]]] = {
    "kam": NC_("sheet name, at most 31 characters", "Kazakhstan, Armenia, Kyrgyzstan"),
}
SHEET_LENGTH: Final = 31  # Excel's limit


def fit_sheet_name(name: str) -> str:
    """`name` as Excel allows a worksheet's name: none of []:*?/\\, at most 31 characters,
    shortened at a word's end (never within a word) if it is longer."""
    name = "".join(" " if char in "[]:*?/\\" else char for char in name).strip()
    if len(name) <= SHEET_LENGTH:
        return name
    head = name[: SHEET_LENGTH + 1]  # a space just after the limit ends a whole word
    if " " not in head:  # one word longer than a sheet name: nothing better than its start
        return name[:SHEET_LENGTH]
    return head.rsplit(" ", 1)[0].rstrip(" ,;.-—")


def sheet_name(view: str) -> str:
    """A worksheet's name for a view: its name without the flag (a shorter one where the
    full name is too long for Excel)."""
    if view in SHEET_NAMES:
        name = pgettext(*SHEET_NAMES[view])
    elif view in COUNTRIES:
        name = _(COUNTRIES.labels[view])
    else:
        name = place(view)
    return fit_sheet_name(name)


def sheets(stats: Overview, network: Network) -> list[tuple[str, list[Row]]]:
    """The workbook's sheets, one per view (all, the groups, every known country): its
    name and its rows (the CSV's, for that scope). A country that is a group by itself
    (Russia) has the group's sheet only."""
    found: dict[str, list[Row]] = {}
    for view_code, scope in scopes(stats):
        name = sheet_name(view_code)
        if name not in found:
            found[name] = list(_scope_rows(scope, place(view_code), stats.view(view_code)))
    found[fit_sheet_name(_(NETWORK_LABELS["network"]))] = list(network_rows(network))
    return list(found.items())


def workbook_caption() -> str:
    """With the .xlsx file."""
    return _("All figures of /stats as an Excel workbook, one sheet per view.")


def scopes(stats: Overview) -> Iterator[tuple[str, str]]:
    """Every view as `(view code, scope code)`: all, the groups, every known country."""
    yield ALL, ALL
    for group in GROUPS:
        yield group, f"group:{group}"
    for country in COUNTRIES.codes:
        yield country, f"country:{country}"


NETWORK_LABELS: Final[dict[str, str]] = {
    "network": N_("The network at work"),
    "sent": N_("Sent"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "pending": N_("Unanswered"),
    "median": N_("Median time to an answer, hours"),
    "across": N_("Between two countries"),
    "within": N_("Within one country"),
    "published": N_("Published"),
    "announced": N_("Announced to"),
    "attending": N_("Attending"),
    "new_organisations": N_("New organisations"),
    "new_requests": N_("Contact requests"),
    "acceptances": N_("Accepted"),
}


def _statuses(
    indicator: str, subject: str, counts: dict[str, int], scope: str, name: str
) -> Iterator[Row]:
    sent = _of(subject, _(NETWORK_LABELS["sent"]))
    yield scope, name, indicator, "sent", sent, sum(counts.values())
    for status in ("accepted", "declined", "pending"):
        measure = _of(subject, _(NETWORK_LABELS[status]))
        yield scope, name, indicator, status, measure, counts.get(status, 0)


def network_rows(stats: Network) -> Iterator[Row]:
    """The network at work as rows: requests (all, between two countries, within one),
    the median answer time in hours (empty when nothing was answered), outcomes, events
    by kind, the weeks (code: the Monday's ISO date). Every code listed, zeros included."""
    scope, name = "network", _(NETWORK_LABELS["network"])
    requests = _(NETWORK_LABELS["new_requests"])
    yield from _statuses("contact_requests", requests, stats.requests, scope, name)
    # four decimals: a median of a second is still not 0
    median = None if stats.median_answer is None else round(stats.median_answer / 3600, 4)
    yield scope, name, "median_answer_hours", "", _(NETWORK_LABELS["median"]), median
    for indicator, key, counts in (
        ("requests_between_two_countries", "across", stats.across),
        ("requests_within_one_country", "within", stats.within),
    ):
        yield from _statuses(indicator, _(NETWORK_LABELS[key]), counts, scope, name)
    for code in OUTCOME_LABELS:
        count = stats.outcomes.get(code, 0)
        yield scope, name, "introduction_outcome", code, outcome_label(code), count
    for kind in EVENT_KINDS.codes:
        values = stats.events.get(kind, (0, 0, 0))
        for key, value in zip(("published", "announced", "attending"), values, strict=True):
            measure = _of(label(EVENT_KINDS, kind), _(NETWORK_LABELS[key]))
            yield scope, name, f"events_{key}", kind, measure, value
    for key in ("new_organisations", "new_requests", "acceptances"):
        series: list[int] = getattr(stats, key)
        for start, value in zip(stats.weeks, series, strict=True):
            week = _("week from {date}").format(date=short_date(start))
            measure = _of(_(NETWORK_LABELS[key]), week)
            yield scope, name, f"weekly_{key}", start.date().isoformat(), measure, value


def rows_of(stats: Overview, network: Network) -> Iterator[Row]:
    """Every figure: the totals, every indicator per scope, then the network at work;
    zeros included."""
    yield ALL, place(ALL), "users", "", _("Users"), stats.users
    for view_code, scope in scopes(stats):
        yield from _scope_rows(scope, place(view_code), stats.view(view_code))
    yield from network_rows(network)


def table(stats: Overview, network: Network) -> bytes:
    """Every figure as CSV rows: scope, its label, indicator, code, label (current
    language), value. With a byte-order mark, so that spreadsheet programs read it as
    UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows_of(stats, network))
    return out.getvalue().encode("utf-8-sig")
