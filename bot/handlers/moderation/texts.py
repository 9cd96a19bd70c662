"""Admins' queues of verifications and reports; reports by users."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Final

from bot.handlers.directory import texts as directory_texts
from bot.handlers.moderation.reports import OpenReport, ReportReason
from bot.handlers.trust.badges import PendingVerification
from bot.i18n import _, long_date, plural
from bot.taxonomy import N_


def report_prompt() -> str:
    """Asking why a profile is reported."""
    return _("⚠️ Why are you reporting this profile? The administrators will look at it.")


_REASON_LABELS: Final[dict[str, str]] = {
    ReportReason.FAKE: N_("Fake or misleading"),
    ReportReason.SPAM: N_("Spam or advertising"),
    ReportReason.INAPPROPRIATE: N_("Inappropriate content"),
    ReportReason.OTHER: N_("Something else"),
}


def report_reason(code: str) -> str:
    """A report reason's label."""
    return _(_REASON_LABELS[code])


def reported(new: bool) -> str:
    """After a report."""
    if new:
        return _("Thank you. The administrators will review this profile.")
    return _("You have already reported this profile; the administrators will review it.")


def badge_approved(until: datetime) -> str:
    """To the organisation: approved."""
    return _(
        "🛡 Your organisation has been verified. The badge is on your card until {date}."
    ).format(date=long_date(until))


def badge_rejected(note: str) -> str:
    """To the organisation: rejected, with the admin's note."""
    return _(
        "Your request for the trust badge was not approved. The administrators' note: {note}\n\n"
        "You can correct the details and ask again from your profile."
    ).format(note=escape(note))


def queue_empty() -> str:
    """/verify with nothing waiting."""
    return _("No verification requests are waiting.")


def pending(item: PendingVerification) -> str:
    """One verification request for admins."""
    website = escape(item.website) if item.website else _("not given")
    return "\n".join(
        [
            plural(
                "🛡 {n} request waiting. The oldest:",
                "🛡 {n} requests waiting. The oldest:",
                item.waiting,
            ),
            "",
            directory_texts.card(item.card),
            "",
            _("Registration number: {number}").format(number=escape(item.registration_number)),
            _("Website: {website}").format(website=website),
        ]
    )


def ask_note(approve: bool) -> str:
    """After Approve / Reject: how it was checked."""
    if approve:
        return _("Write in one message how you checked it (which register, what matched).")
    return _("Write in one message why it is rejected; the organisation will see this note.")


def decision_saved(approve: bool) -> str:
    """After the note."""
    return _("✅ Approved and noted.") if approve else _("✖️ Rejected and noted.")


def already_decided() -> str:
    """Someone else was faster."""
    return _("This has already been decided by another administrator.")


def reports_empty() -> str:
    """/reports with nothing open."""
    return _("No open reports.")


def open_report(item: OpenReport) -> str:
    """One report for admins."""
    return "\n".join(
        [
            plural(
                "⚠️ {n} open report. The oldest:", "⚠️ {n} open reports. The oldest:", item.waiting
            ),
            _("Reason: {reason}").format(reason=report_reason(item.reason)),
            plural(
                "Reports on this profile: {n}", "Reports on this profile: {n}", item.reports_on_it
            ),
            "",
            directory_texts.card(item.card),
        ]
    )


def moderated(action: str) -> str:
    """After a moderation decision."""
    return {
        "dismiss": _("Report dismissed."),
        "hide": _("🙈 The profile is hidden from the directory."),
        "ban": _("⛔ The organisation is banned."),
    }[action]
