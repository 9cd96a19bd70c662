"""/stats' exports: every figure of every view as rows (the CSV table) and as the
workbook's sheets, labels in the admin's language. The figures are the screens' (the same
`Overview` and `Network`), never counted again."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Final

from bot.handlers.stats import exchange
from bot.handlers.stats.exchange import Exchange
from bot.handlers.stats.indicators import ALL, GROUPS, Counts, Network, Overview
from bot.handlers.stats.texts import place
from bot.i18n import NC_, _, pgettext, short_date
from bot.shared_texts import OUTCOME_LABELS, label, outcome_label
from bot.taxonomy import BARRIERS, COUNTRIES, EVENT_KINDS, FOCUS_AREAS, FORMATS, N_, TOPICS


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
    """The workbook's sheets, one per view (all, the groups, every known country), then
    the network at work, the calls arranged and the exchange of experience: its name and
    its rows (the CSV's, for that scope). A country that is a group by itself (Russia) has
    the group's sheet only."""
    found: dict[str, list[Row]] = {}
    for view_code, scope in scopes(stats):
        name = sheet_name(view_code)
        if name not in found:
            found[name] = list(_scope_rows(scope, place(view_code), stats.view(view_code)))
    found[fit_sheet_name(_(NETWORK_LABELS["network"]))] = list(network_rows(network))
    found[fit_sheet_name(_(CALLS_LABELS["calls"]))] = list(calls_rows(network))
    found[fit_sheet_name(_(EXCHANGE_LABELS["exchange"]))] = list(exchange_rows(network.exchange))
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


CALLS_LABELS: Final[dict[str, str]] = {
    "calls": N_("Calls through the bot"),
    "subject": N_("Calls"),
    "proposed": N_("Proposed"),
    "agreed": N_("Agreed"),
    "held": N_("Held"),
    "median": N_("Median time from an introduction to its call, days"),
}
STAGES: Final = ("proposed", "agreed", "held")


def calls_rows(stats: Network) -> Iterator[Row]:
    """Video calls arranged through the bot (issue 22), the figures of the network's
    screen: proposed, agreed and held, in all, between two countries and within one; the
    median time from an introduction to its call in days (empty while none was held)."""
    scope, name = "calls", _(CALLS_LABELS["calls"])
    for indicator, subject, side in (
        ("calls", _(CALLS_LABELS["subject"]), None),
        ("calls_between_two_countries", _(NETWORK_LABELS["across"]), stats.calls_across),
        ("calls_within_one_country", _(NETWORK_LABELS["within"]), stats.calls_within),
    ):
        for stage in STAGES:
            if side is None:
                count = stats.calls_across.get(stage, 0) + stats.calls_within.get(stage, 0)
            else:
                count = side.get(stage, 0)
            measure = _of(subject, _(CALLS_LABELS[stage]))
            yield scope, name, indicator, stage, measure, count
    median = stats.median_to_call
    days = None if median is None else round(median / 86400, 4)
    yield scope, name, "median_days_to_call", "", _(CALLS_LABELS["median"]), days


EXCHANGE_LABELS: Final[dict[str, str]] = {
    "exchange": N_("Exchange of experience"),
    "event": N_("Events posted"),
    "internship": N_("Internships posted"),
    "call": N_("Partner calls posted"),
    "answers": N_("Answers to posts"),
    "accepted": N_("Accepted answers"),
    "found": N_("Partner calls that found a partner"),
    "asked": N_("Partner calls whose host was asked"),
}


def exchange_rows(shared: Exchange) -> Iterator[Row]:
    """The exchange of experience (issue 21), the figures of the network's screen: posts
    per kind in all (code empty) and per host's country (every known country, zeros
    included), answers and accepted answers in all, between two countries and within
    one, and the partner calls that found a partner of those whose host was asked."""
    scope, name = "exchange", _(EXCHANGE_LABELS["exchange"])
    others = sorted(code for code in shared.posts if code not in COUNTRIES)
    for kind in exchange.KINDS:
        subject = _(EXCHANGE_LABELS[kind])
        yield scope, name, f"posts_{kind}", "", subject, shared.total(kind)
        for code in [*COUNTRIES.codes, *others]:
            country = label(COUNTRIES, code) if code in COUNTRIES else code
            count = shared.posts.get(code, {}).get(kind, 0)
            yield scope, name, f"posts_{kind}", code, _of(subject, country), count
    for indicator, key, total, across, within in (
        ("answers", "answers", shared.answers, shared.across[0], shared.within[0]),
        ("accepted_answers", "accepted", shared.accepted, shared.across[1], shared.within[1]),
    ):
        subject = _(EXCHANGE_LABELS[key])
        yield scope, name, indicator, "", subject, total
        yield scope, name, indicator, "across", _of(subject, _(NETWORK_LABELS["across"])), across
        yield scope, name, indicator, "within", _of(subject, _(NETWORK_LABELS["within"])), within
    yield scope, name, "partner_found", "", _(EXCHANGE_LABELS["found"]), shared.found
    yield scope, name, "partner_asked", "", _(EXCHANGE_LABELS["asked"]), shared.asked


def rows_of(stats: Overview, network: Network) -> Iterator[Row]:
    """Every figure: the totals, every indicator per scope, then the network at work, the
    calls arranged and the exchange of experience; zeros included."""
    yield ALL, place(ALL), "users", "", _("Users"), stats.users
    for view_code, scope in scopes(stats):
        yield from _scope_rows(scope, place(view_code), stats.view(view_code))
    yield from network_rows(network)
    yield from calls_rows(network)
    yield from exchange_rows(network.exchange)


def table(stats: Overview, network: Network) -> bytes:
    """Every figure as CSV rows: scope, its label, indicator, code, label (current
    language), value. With a byte-order mark, so that spreadsheet programs read it as
    UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows_of(stats, network))
    return out.getvalue().encode("utf-8-sig")
