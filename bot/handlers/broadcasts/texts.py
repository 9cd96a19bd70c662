"""Sentences of the broadcast screens: setup, live status, reports."""

from __future__ import annotations

from typing import Final

from bot import shared_texts
from bot.delivery.broadcast_rows import Audience, RecipientCounts, Summary
from bot.delivery.broadcaster import Progress
from bot.handlers.broadcasts.management import TEXT_MAX
from bot.i18n import NC_, _, duration, long_date, number, pgettext, plural
from bot.taxonomy import N_

BAR_WIDTH: Final = 10
KIND_TITLES: Final[dict[str, str]] = {
    "countries": N_("Countries"),
    "languages": N_("Languages"),
    "focus": N_("Focus areas"),
}
BUTTONS: Final[dict[str, str]] = {
    "countries": N_("🌍 Country"),
    "languages": N_("🗣 Language"),
    "focus": N_("🎯 Focus area"),
    "verified": N_("Verified only"),
    "done": N_("✔ Done"),
    "cancel": N_("✖ Cancel"),
    "stop": N_("⏹ Stop the broadcast"),
}
STATUSES: Final[dict[str, tuple[str, str]]] = {
    "running": NC_("broadcast status", "sending"),
    "done": NC_("broadcast status", "finished"),
    "cancelled": NC_("broadcast status", "cancelled"),
}


def status_label(code: str) -> str:
    """A status, translated in its own context."""
    return pgettext(*STATUSES[code])


def button(key: str) -> str:
    """A broadcast button's label."""
    return _(BUTTONS[key])


def send_button(reach: int) -> str:
    """The confirm button, with how many will get it."""
    return plural("✅ Send to {n} user", "✅ Send to {n} users", reach)


def audience(chosen: Audience) -> str:
    """Who gets it, one criterion a line."""
    if chosen.everyone:
        return _("Everyone who uses the bot")
    lines = [
        "{title}: {values}".format(
            title=_(KIND_TITLES[kind]),
            values=", ".join(
                shared_texts.choice_label(kind, code) for code in sorted(getattr(chosen, kind))
            ),
        )
        for kind in KIND_TITLES
        if getattr(chosen, kind)
    ]
    if chosen.verified:
        lines.append(_("Only verified organisations"))
    return "\n".join(lines)


def setup(chosen: Audience, reach: int) -> str:
    """The audience screen under the preview."""
    return (
        _("📣 <b>New broadcast</b>")
        + "\n"
        + _("Above is exactly what people will get.")
        + "\n\n"
        + _("<b>Audience</b>")
        + "\n"
        + audience(chosen)
        + "\n\n"
        + plural("It will reach {n} user.", "It will reach {n} users.", reach)
    )


def picker(kind: str, chosen: Audience) -> str:
    """Above a list of countries, languages or focus areas to tick."""
    return (
        _("📣 <b>{title}</b>").format(title=_(KIND_TITLES[kind]))
        + "\n"
        + _("Tick any number; none ticked means all.")
        + "\n\n"
        + audience(chosen)
    )


def usage() -> str:
    """/broadcast without anything to send."""
    return _(
        "Write the text after the command, e.g. <code>/broadcast Registration for the "
        "webinar is open</code>, or send /broadcast as a reply to the message to send "
        "(a photo, a document, a video or formatted text: it is copied as it is)."
    )


def too_long(length: int) -> str:
    """The text does not fit into one message."""
    return _("The text is too long: at most {limit} characters, and you sent {length}.").format(
        limit=number(TEXT_MAX), length=number(length)
    )


def nobody() -> str:
    """Send pressed while no one matches."""
    return _("Nobody matches this audience. Remove a criterion first.")


def expired() -> str:
    """A press on the setup screen of a broadcast that is no longer being set up."""
    return _("This broadcast is no longer being prepared. Send /broadcast to start a new one.")


def cancelled_setup() -> str:
    """The admin cancelled before sending."""
    return _("The broadcast was not sent.")


def not_running() -> str:
    """Stop pressed (or /broadcast_cancel) on a broadcast that has ended."""
    return _("This broadcast is not running any more.")


def none_running() -> str:
    """/broadcast_cancel with nothing running."""
    return _("No broadcast is running.")


def stopped(broadcast_id: int) -> str:
    """The broadcast was cancelled."""
    return _("Broadcast #{id} is stopped. What was sent stays sent.").format(id=broadcast_id)


def _bar(done: int, total: int) -> str:
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    percent = 100 * done // total if total else 100
    return "▓" * filled + "░" * (BAR_WIDTH - filled) + f" {number(percent)}%"


def _tally(counts: RecipientCounts) -> str:
    return _("Sent: {sent} · Blocked the bot: {blocked} · Failed: {failed}").format(
        sent=number(counts.sent), blocked=number(counts.blocked), failed=number(counts.failed)
    )


def status(progress: Progress) -> str:
    """The live status message (and, at the end, the report)."""
    summary, counts = progress.summary, progress.counts
    state = summary.status if progress.finished else "running"
    lines = [
        _("📣 <b>Broadcast #{id}</b>: {state}").format(id=summary.id, state=status_label(state)),
        _bar(counts.done, counts.total),
        _tally(counts),
    ]
    if state == "running":
        lines.append(_("Remaining: {left}").format(left=number(counts.pending)))
        speed = _("Speed: {rate} messages a second").format(rate=number(round(progress.rate, 1)))
        if progress.seconds_left is not None:
            speed += " · " + _("about {time} left").format(time=duration(progress.seconds_left))
        lines.append(speed)
    elif counts.pending:
        lines.append(plural("Not sent: {n} (stopped)", "Not sent: {n} (stopped)", counts.pending))
    return "\n".join(lines)


def history(items: list[Summary]) -> str:
    """/broadcasts: the latest broadcasts and what came of each."""
    if not items:
        return _("No broadcasts yet.")
    lines = [_("📣 <b>Latest broadcasts</b>")]
    for item in items:
        lines.append(
            "\n"
            + _("<b>#{id}</b> · {date} · {state}").format(
                id=item.id,
                date=long_date(item.created_at),
                state=status_label(item.status),
            )
            + "\n"
            + plural("To {n} user", "To {n} users", item.counts.total)
            + ": "
            + _tally(item.counts)
        )
    return "\n".join(lines)
