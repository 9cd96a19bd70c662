"""The /stats screen for admins, and its CSV table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Final

from bot.features.stats.indicators import Overview
from bot.i18n import _, number, percent, plural
from bot.shared_texts import OUTCOME_LABELS, label, outcome_label
from bot.taxonomy import BARRIERS, COUNTRIES, FOCUS_AREAS, FORMATS, N_, TOPICS, Vocabulary

BUTTONS: Final[dict[str, str]] = {
    "chart": N_("📈 Chart: offered and wanted"),
    "csv": N_("📄 Table (CSV)"),
}


def button(key: str) -> str:
    """The label of a button under /stats."""
    return _(BUTTONS[key])


def _ranked(vocabulary: Vocabulary, counts: dict[str, int]) -> list[str]:
    ordered = sorted(counts.items(), key=lambda item: -item[1])  # ties: vocabulary order
    return [f"{label(vocabulary, code)}: {number(count)}" for code, count in ordered if count]


def overview(stats: Overview) -> str:
    """/stats: the study's indicators."""
    lines = [
        _("📊 <b>NGO Bridge statistics</b>"),
        "",
        plural("{n} user", "{n} users", stats.users),
        plural("{n} organisation", "{n} organisations", stats.organisations),
    ]
    if stats.by_country:
        lines += ["", _("Organisations by country:")]
        lines += [
            f"{label(COUNTRIES, code)}: {number(count)}"
            for code, count in stats.by_country.items()
            if code in COUNTRIES
        ]
    if stats.organisations:
        share = stats.cross_border / stats.organisations
        lines += [
            "",
            _("Have worked across borders: {n} of {total} ({share})").format(
                n=number(stats.cross_border),
                total=number(stats.organisations),
                share=percent(share),
            ),
            "",
            _("Can share / want to learn, most wanted first:"),
        ]
        lines += [
            f"{label(TOPICS, code)}: {number(stats.can_share[code])} / "
            f"{number(stats.want_learn[code])}"
            for code in stats.gaps()
            if stats.can_share[code] or stats.want_learn[code]
        ]
        lines += ["", _("Preferred cooperation formats:"), *_ranked(FORMATS, stats.formats)]
        if any(stats.barriers.values()):
            lines += ["", _("Barriers they meet:"), *_ranked(BARRIERS, stats.barriers)]
    if stats.requests:
        lines += [
            "",
            plural("{n} contact request", "{n} contact requests", sum(stats.requests.values())),
            _("accepted: {accepted}, declined: {declined}, waiting: {pending}").format(
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


def chart(stats: Overview) -> tuple[str, list[str], list[tuple[str, list[int]]]]:
    """The chart's title, its topic labels and its two series (can share, want to learn),
    in the current language."""
    codes = TOPICS.codes
    return (
        _("What organisations can share and want to learn"),
        [label(TOPICS, code) for code in codes],
        [
            (_("Can share"), [stats.can_share[code] for code in codes]),
            (_("Want to learn"), [stats.want_learn[code] for code in codes]),
        ],
    )


def table_caption() -> str:
    """With the CSV file."""
    return _("All figures of /stats as a table (UTF-8 CSV; opens in Excel and LibreOffice).")


def rows_of(stats: Overview) -> Iterator[tuple[str, str, str, int]]:
    yield "users", "", _("Users"), stats.users
    yield "organisations", "", _("Organisations"), stats.organisations
    yield "cross_border", "", _("Have worked across borders"), stats.cross_border
    for code, count in stats.by_country.items():
        if code in COUNTRIES:
            yield "country", code, _(COUNTRIES.labels[code]), count
    for indicator, vocabulary, counts in (
        ("can_share", TOPICS, stats.can_share),
        ("want_to_learn", TOPICS, stats.want_learn),
        ("format", FORMATS, stats.formats),
        ("barrier", BARRIERS, stats.barriers),
        ("focus_area", FOCUS_AREAS, stats.focus_areas),
    ):
        for code, count in counts.items():
            yield indicator, code, _(vocabulary.labels[code]), count
    for status, count in sorted(stats.requests.items()):
        yield "contact_requests", status, status, count
    for code, count in sorted(stats.outcomes.items()):
        if code in OUTCOME_LABELS:
            yield "introduction_outcome", code, outcome_label(code), count


def table(stats: Overview) -> bytes:
    """Every figure as CSV rows: indicator, code, label (current language), value. With a
    byte-order mark, so that spreadsheet programs read it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("indicator", "code", "label", "value"))
    writer.writerows(rows_of(stats))
    return out.getvalue().encode("utf-8-sig")
