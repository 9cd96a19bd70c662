"""Sentences of the trust badge, visibility and moderation screens."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Final

from bot.i18n import _, long_date, plural
from bot.services.trust import REGISTRATION_MAX, OpenReport, PendingVerification
from bot.taxonomy import N_
from bot.ui import directory_texts as dt

AUDIENCES: Final[dict[str, str]] = {
    "all": N_("Everyone in the directory"),
    "verified": N_("Only verified organisations"),
    "country": N_("Only organisations from our country"),
    "hidden": N_("Nobody: not listed"),
}


def audience(code: str) -> str:
    """A visibility choice's label."""
    return _(AUDIENCES[code])


def visibility(current: str) -> str:
    """The visibility screen."""
    return (
        _("👁 <b>Who can find us</b>")
        + "\n\n"
        + _(
            "Choose who sees your card in search, suggestions and shared links. Whatever you "
            "choose, you can still search and send requests, and your contacts are only given "
            "to organisations whose request you accept."
        )
        + "\n\n"
        + _("Now: {choice}").format(choice=audience(current))
    )


def visibility_saved(code: str) -> str:
    """After a visibility change."""
    return _("✅ Saved. Who can find you: {choice}.").format(choice=audience(code))


def badge_status(
    valid_until: datetime | None, pending: bool, lapsed: datetime | None = None
) -> str:
    """The badge screen: valid, waiting, lapsed or never asked."""
    lines = [_("🛡 <b>Trust badge</b>"), ""]
    lines.append(
        _(
            "The badge tells other organisations that the administrators have checked your "
            "registration (for example in the register of socially oriented NGOs or a national "
            "NGO database) and your website. It is valid for a year."
        )
    )
    lines.append("")
    if pending:
        lines.append(_("⏳ Your request is waiting for the administrators."))
    elif valid_until is not None:
        lines.append(_("✅ Your badge is valid until {date}.").format(date=long_date(valid_until)))
    elif lapsed is not None:
        lines.append(
            _("Your badge lapsed on {date}. You can ask again.").format(date=long_date(lapsed))
        )
    else:
        lines.append(_("Your organisation does not have the badge yet."))
    return "\n".join(lines)


def ask_registration() -> str:
    """First question of the badge request."""
    return plural(
        "Send your organisation's registration number (up to {n} character), for example "
        "its number in the register of socially oriented NGOs or the state register.",
        "Send your organisation's registration number (up to {n} characters), for example "
        "its number in the register of socially oriented NGOs or the state register.",
        REGISTRATION_MAX,
    )


def ask_website(current: str | None) -> str:
    """Second question of the badge request."""
    text = _("Which website should the administrators check? Send its address.")
    if current:
        text += "\n\n" + _("Your profile says: {website}").format(website=escape(current))
    return text


def verification_sent() -> str:
    """After the badge request."""
    return _("✅ Thank you! The administrators will check your organisation and tell you here.")


def verification_exists() -> str:
    """A second request while one waits."""
    return _("Your request is already waiting for the administrators.")


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


def badge_reminder(until: datetime) -> str:
    """A month before the badge lapses."""
    return _(
        "🛡 Your trust badge is valid until {date}. To keep it, ask for verification again: "
        "My profile → Trust badge."
    ).format(date=long_date(until))


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
            dt.card(item.card),
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


def admins_only() -> str:
    """A non-admin pressed an admin button."""
    return _("Only administrators can do this.")


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
            _("Reason: {reason}").format(reason=dt.report_reason(item.reason)),
            plural(
                "Reports on this profile: {n}", "Reports on this profile: {n}", item.reports_on_it
            ),
            "",
            dt.card(item.card),
        ]
    )


def moderated(action: str) -> str:
    """After a moderation decision."""
    return {
        "dismiss": _("Report dismissed."),
        "hide": _("🙈 The profile is hidden from the directory."),
        "ban": _("⛔ The organisation is banned."),
    }[action]


BUTTONS: Final[dict[str, str]] = {
    "badge": N_("🛡 Trust badge"),
    "visibility": N_("👁 Who can find us"),
    "apply": N_("🛡 Ask for verification"),
    "keep_site": N_("Use the website from the profile"),
    "skip_site": N_("No website »"),
}


def button(key: str) -> str:
    """The label of a badge or visibility button."""
    return _(BUTTONS[key])
