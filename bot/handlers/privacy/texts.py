"""Sentences of the "Your data" screens."""

from __future__ import annotations

from html import escape
from typing import Final

from bot.handlers.privacy.stored import Stored
from bot.i18n import _, plural
from bot.shared_texts import quoted
from bot.taxonomy import N_

NAME_MAX: Final = 64  # of a Telegram first name shown

BUTTONS: Final[dict[str, str]] = {
    "open": N_("🗂 My data"),
    "export": N_("📤 Download my data"),
    "erase": N_("🗑 Delete my data"),
    "confirm": N_("🗑 Yes, delete everything"),
    "keep": N_("« Keep my data"),
}


def button(key: str) -> str:
    """The label of a button of these screens."""
    return _(BUTTONS[key])


def summary(stored: Stored) -> str:
    """What is stored, and what the buttons do."""
    if stored.organisation is None:
        profile = _("No organisation profile.")
    else:
        profile = _("Organisation profile: {name}, with its contacts.").format(
            name=escape(stored.organisation)
        )
    lines = [
        profile,
        plural("{n} contact request", "{n} contact requests", stored.requests),
        plural("{n} answer to an event", "{n} answers to events", stored.registrations),
        plural("{n} report you made", "{n} reports you made", stored.reports),
    ]
    return (
        _("🗂 <b>Your data</b>")
        + "\n\n"
        + _(
            "NGO Bridge stores your Telegram name and username, your language and event "
            "settings, and what is listed below. Answers of an unfinished questionnaire are "
            "kept until you finish or cancel it."
        )
        + "\n\n"
        + "\n".join(f"• {line}" for line in lines)
        + "\n\n"
        + _("You can download all of it as a file, or delete it.")
    )


def export_caption() -> str:
    """With the file."""
    return _("Everything NGO Bridge stores about you, as a JSON file.")


def confirm_erase(stored: Stored) -> str:
    """Before deleting (an organisation with other members stays with them)."""
    if stored.organisation is not None and stored.colleagues:
        text = _(
            "Delete everything NGO Bridge stores about you? You leave {name}, which stays "
            "in NGO Bridge with the other members of its team; your answers to events and "
            "settings are deleted. Contacts you already shared stay with those who received "
            "them. This cannot be undone."
        ).format(name=escape(quoted(stored.organisation)))
        if stored.successor is not None:
            text += "\n\n" + _(
                "You are its last owner, so {person} will become the owner of {name}."
            ).format(
                person=escape((stored.successor or "Telegram")[:NAME_MAX]),
                name=escape(quoted(stored.organisation)),
            )
        return text
    return _(
        "Delete everything NGO Bridge stores about you? Your organisation's card leaves the "
        "directory, your contact requests, answers to events and settings are deleted. "
        "Contacts you already shared stay with those who received them. This cannot be undone."
    )


def now_owner(organisation: str, former: str) -> str:
    """To the member made owner when the last owner deleted their data."""
    return _(
        "👑 You are now the owner of {name}: {person}, its last owner, deleted their data "
        "from NGO Bridge. You can invite colleagues and manage the team in 👥 Team."
    ).format(name=escape(quoted(organisation)), person=escape((former or "Telegram")[:NAME_MAX]))


def erased() -> str:
    """After deleting."""
    return _(
        "Your data is deleted. If you write to the bot again, you start as a new user: send /start."
    )


def nothing_stored() -> str:
    """A stale button, after the data is gone."""
    return _("Nothing is stored about you any more.")
