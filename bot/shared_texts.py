"""Sentences and labels every feature uses, in the current language."""

from __future__ import annotations

from datetime import date
from typing import Final

from bot.i18n import _, medium_date, number, plural
from bot.languages import LANGUAGES
from bot.taxonomy import COUNTRIES, FLAGS, FOCUS_AREAS, N_, TOPICS, Vocabulary
from bot.validation import AnswerError, Problem


def label(vocabulary: Vocabulary, code: str) -> str:
    """A taxonomy code's label in the current language."""
    text = _(vocabulary.labels[code])
    return f"{FLAGS[code]} {text}" if vocabulary is COUNTRIES else text


# The criteria admins tick in the broadcast and event pickers, by the name the data uses.
CHOICE_VOCABULARIES: Final[dict[str, Vocabulary]] = {
    "countries": COUNTRIES,
    "focus": FOCUS_AREAS,
    "topics": TOPICS,
}


def choice_label(kind: str, code: str) -> str:
    """A country, focus area, topic or interface language (`kind` "languages") as a
    picker shows it."""
    if kind == "languages":
        return LANGUAGES[code]
    return label(CHOICE_VOCABULARIES[kind], code)


def choice_labels(codes: tuple[str, ...], kind: str) -> str:
    """Several codes of one picker (see `choice_label`), comma-separated."""
    return ", ".join(choice_label(kind, code) for code in codes)


def problem(error: AnswerError) -> str:
    """Why an answer was refused, and what to do instead."""
    match error.problem:
        case Problem.EMPTY:
            return _("⚠️ The answer is empty. Please write a few words.")
        case Problem.TOO_LONG:
            return plural(
                "⚠️ That is too long: at most {n} character, and you sent {length}.",
                "⚠️ That is too long: at most {n} characters, and you sent {length}.",
                error.limit,
                length=number(error.length),
            )
        case Problem.TOO_SHORT:
            return plural(
                "⚠️ That is too short: please write at least {n} character.",
                "⚠️ That is too short: please write at least {n} characters.",
                error.limit,
            )
        case Problem.BAD_URL:
            return _("⚠️ That does not look like a website address. Example: https://example.org")
        case Problem.BAD_CONTACT:
            return _(
                "⚠️ That does not look like a contact. Send an e-mail (name@example.org), "
                "a Telegram @username or a phone number (+7 700 123 45 67)."
            )
        case Problem.NEED_TEXT:
            return _(
                "⚠️ Please answer with text: photos, stickers, voice messages, locations and "
                "files cannot be used here."
            )
        case Problem.NEED_BUTTON:
            return _("⚠️ Please answer with the buttons under the question.")
        case Problem.NEED_CHOICE:
            return _("⚠️ Please tick at least one option, then press Done.")
        case Problem.BAD_REGISTRATION:
            return _(
                "⚠️ A registration number may contain letters, digits, spaces and . / - № # "
                "only. Example: 1234567890123"
            )
    raise AssertionError(error.problem)


def done_button(count: int) -> str:
    """The Done button of a multi-select, with how many are ticked."""
    if not count:
        return _("Done ✓")
    return plural("Done: {n} selected ✓", "Done: {n} selected ✓", count)


DOUBLE_QUOTES: Final = frozenset('"«»“”„‟')
SINGLE_QUOTES: Final = frozenset("'‘’‚‛")


def quoted(name: str) -> str:
    """A name in the language's quotation marks, unless it holds quotes of its own: Фонд
    «Надёжный берег» stays as it is rather than becoming «Фонд «Надёжный берег»». Plain text:
    escape the result for HTML. (A single apostrophe, as in Children's, is no quote.)"""
    if DOUBLE_QUOTES.intersection(name) or sum(name.count(mark) for mark in SINGLE_QUOTES) > 1:
        return name
    return _("“{name}”").format(name=name)


ALERT_NAME_MAX: Final = 60  # a name or title inside an alert


def in_alert(name: str) -> str:
    """A name for an alert, which is plain text (not escaped) of at most 200 characters
    (Telegram refuses a longer one, and the press fails): clipped, then quoted."""
    if len(name) > ALERT_NAME_MAX:
        name = name[: ALERT_NAME_MAX - 1].rstrip() + "…"
    return quoted(name)


def stale_button() -> str:
    """Answer to a press on an old or unknown button."""
    return _("This button is out of date. Please use the latest message.")


def not_understood() -> str:
    """A message that no handler expects."""
    return _("I did not understand that. Please use the menu below or send /help.")


def slow_down() -> str:
    """Shown once when a user sends messages or presses buttons faster than the bot takes."""
    return _(
        "⏳ That is a lot at once. Wait a few seconds, then go on: "
        "what you send meanwhile is skipped."
    )


def error_happened() -> str:
    """Shown when something unexpected failed while handling an update."""
    return _("Sorry, something went wrong on our side. Please try again.")


OUTCOME_LABELS: Final[dict[str, str]] = {
    "project": N_("A joint project"),
    "internship": N_("An internship"),
    "event": N_("A webinar or an event"),
    "exchange": N_("An exchange of experience"),
    "nothing": N_("Nothing yet"),
}


def outcome_label(code: str) -> str:
    """A follow-up answer's label."""
    return _(OUTCOME_LABELS[code])


BUTTONS: Final[dict[str, str]] = {
    "back": N_("« Back"),
    "skip": N_("Skip »"),
    "keep": N_("Keep as it is »"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "consent_yes": N_("Yes, list us"),
    "consent_no": N_("No, keep us out of the directory"),
    "confirm": N_("✅ Confirm"),
    "edit": N_("✏️ Change an answer"),
    "to_summary": N_("« Back to the summary"),
    "continue": N_("▶️ Continue"),
    "restart": N_("🔄 Start over"),
    "profile": N_("👤 My profile"),
    "settings": N_("⚙️ Settings"),
    "help": N_("❓ Help"),
    "menu": N_("🏠 Main menu"),
    "onboard": N_("📝 Fill in the questionnaire"),
    "language": N_("🌐 Change language"),
    "to_profile": N_("« Back to the profile"),
    "post": N_("📣 Offer or seek"),
    # The main menu's other buttons, and the one that opens the Mini App (the chat's menu
    # button too).
    "mini_app": N_("🗂 Directory"),
    "search": N_("🔎 Find partners"),
    "suggest": N_("⭐ Suggested for you"),
    "inbox": N_("📨 Contact requests"),
    "events": N_("📅 Events"),
    "find": N_("📣 Calls and offers"),
}


def button(key: str) -> str:
    """The label of a common button."""
    return _(BUTTONS[key])


def admin_command() -> str:
    """A non-admin sent one of the admins' commands."""
    return _("That command is for the network's administrators.")


def admins_only() -> str:
    """A non-admin pressed an admin button."""
    return _("Only administrators can do this.")


def owners_only() -> str:
    """A member (not an owner) pressed a button only the organisation's owners may use."""
    return _(
        "Only the owners of your organisation can do this. Ask one of them, or ask to be made "
        "an owner in 👥 Team."
    )


def end_of_day(day: date, zone: str) -> str:
    """A deadline that is a whole day, in the current locale and the zone whose day it is
    (the poster's, as events show their times): "Mar 1, 2027, end of day in Asia/Almaty
    time"."""
    return _("{date}, end of day in {zone} time").format(date=medium_date(day), zone=zone)
