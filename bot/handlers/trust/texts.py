"""The badge and visibility screens."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Final

from bot.handlers.trust.badges import REGISTRATION_MAX
from bot.i18n import _, long_date, plural
from bot.shared_texts import quoted
from bot.taxonomy import N_

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


def badge_reminder(until: datetime) -> str:
    """A month before the badge lapses."""
    return _(
        "🛡 Your trust badge is valid until {date}. To keep it, ask for verification again: "
        "My profile → Trust badge."
    ).format(date=long_date(until))


BUTTONS: Final[dict[str, str]] = {
    "apply": N_("🛡 Ask for verification"),
    "keep_site": N_("Use the website from the profile"),
    "skip_site": N_("No website »"),
}


def button(key: str) -> str:
    """The label of a badge or visibility button."""
    return _(BUTTONS[key])


def registration_taken(name: str) -> str:
    """The registration number is on another organisation's badge."""
    return _(
        "This registration number is already on the badge of {name}. If that is your "
        "organisation, ask its owners to invite you; if the number is wrong, apply again."
    ).format(name=escape(quoted(name)))
