"""Every sentence the bot says, and the cards it draws, in the current language.

All user text is escaped here: organisations' own words are shown literally, never as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any, Final

from bot.i18n import _, long_date, number, plural
from bot.languages import LANGUAGES
from bot.services.questionnaire import (
    BY_CODE,
    CITY_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    Kind,
    Step,
    asked_steps,
    position,
)
from bot.services.validation import AnswerError, Problem
from bot.taxonomy import COUNTRIES, FLAGS, FOCUS_AREAS, N_, TOPICS, Vocabulary

QUESTIONS: Final[dict[str, str]] = {
    "name": N_("What is your organisation called? Write the name as partners should see it."),
    "country": N_("In which country is your organisation based?"),
    "city": N_("In which city or region do you work?"),
    "focus_areas": N_("What are your organisation's focus areas?"),
    "can_share": N_("What can your organisation share with others?"),
    "want_learn": N_("What would your organisation like to learn?"),
    "formats": N_("Which cooperation formats suit you?"),
    "cross_border": N_("Has your organisation worked with organisations from other countries?"),
    "cross_border_countries": N_("With organisations from which countries?"),
    "barriers": N_("What gets in the way of cooperation with other organisations?"),
    "languages": N_("In which languages does your organisation work?"),
    "description": N_("Describe your organisation in a few sentences: what you do and for whom."),
    "website": N_("Your organisation's website, for example https://example.org"),
    "contact": N_(
        "A public contact for partners: an e-mail, a Telegram @username or a phone number. "
        "Other organisations see it only after you accept their contact request."
    ),
    "consent": N_(
        "May we list your organisation in the NGO Bridge directory, "
        "so that other organisations can find you?"
    ),
}

FIELD_NAMES: Final[dict[str, str]] = {
    "name": N_("Name"),
    "country": N_("Country"),
    "city": N_("City or region"),
    "focus_areas": N_("Focus areas"),
    "can_share": N_("Can share"),
    "want_learn": N_("Wants to learn"),
    "formats": N_("Cooperation formats"),
    "cross_border": N_("Cross-border cooperation"),
    "cross_border_countries": N_("Partner countries"),
    "barriers": N_("Barriers"),
    "languages": N_("Working languages"),
    "description": N_("Description"),
    "website": N_("Website"),
    "contact": N_("Public contact"),
    "consent": N_("Listed in the directory"),
}

TEXT_LIMITS: Final[dict[str, int]] = {
    "name": NAME_MAX,
    "city": CITY_MAX,
    "description": DESCRIPTION_MAX,
}

ICONS: Final[dict[str, str]] = {
    "country": "📍", "focus_areas": "🎯", "can_share": "🤝", "want_learn": "📚",
    "formats": "💬", "cross_border": "🌍", "barriers": "🚧", "languages": "🗣",
    "description": "📝", "website": "🌐", "contact": "✉️", "consent": "👁",
}  # fmt: skip


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


def field_name(code: str) -> str:
    """The translated name of a profile field."""
    return _(FIELD_NAMES[code])


def language_prompt() -> str:
    """The language picker's text."""
    return _("🌐 Choose the language of the bot. You can change it later with /language.")


def language_set(code: str) -> str:
    """Confirmation of a language change."""
    return _("Language: {language}.").format(language=LANGUAGES[code])


def welcome(total: int) -> str:
    """The first message of onboarding."""
    return (
        _(
            "👋 Welcome to <b>NGO Bridge</b>: a meeting place for socially oriented NGOs "
            "of Russia, Kazakhstan, Armenia, Kyrgyzstan and the other CIS countries.\n\n"
            "Tell us about your organisation and we will help you find partners who can teach "
            "what you want to learn, and who want to learn what you can share."
        )
        + "\n\n"
        + plural(
            "The questionnaire has {n} question. Your answers are saved as you go: you can go "
            "back, skip optional questions and continue later.",
            "The questionnaire has {n} questions. Your answers are saved as you go: you can go "
            "back, skip optional questions and continue later.",
            total,
        )
    )


def _value(step: Step, value: Any) -> str:
    if value is None or value == []:
        return _("not specified")
    if step.kind is Kind.YES_NO:
        return _("Yes") if value else _("No")
    if step.kind is Kind.CHOICE and step.vocabulary is not None:
        return label(step.vocabulary, value)
    if step.kind is Kind.MULTI and step.vocabulary is not None:
        return ", ".join(label(step.vocabulary, code) for code in value)
    return escape(str(value))


def question(step: Step, answers: Mapping[str, Any]) -> str:
    """A question with its progress line, hints and the current answer if there is one."""
    index, total = position(step.code, answers)
    filled = round(10 * index / total)
    lines = [
        _("Step {step} of {total}").format(step=number(index), total=number(total))
        + "  "
        + "▰" * filled
        + "▱" * (10 - filled),
        "",
        "<b>" + _(QUESTIONS[step.code]) + "</b>",
    ]
    if step.kind is Kind.MULTI:
        lines.append(_("Tick everything that applies, then press Done."))
    if step.code in TEXT_LIMITS:
        lines.append(
            plural("Up to {n} character.", "Up to {n} characters.", TEXT_LIMITS[step.code])
        )
    if step.optional:
        lines.append(_("This question is optional: press Skip if you have nothing to add."))
    if step.kind is Kind.TEXT and answers.get(step.code):
        lines += ["", _("Current answer: {answer}").format(answer=_value(step, answers[step.code]))]
    return "\n".join(lines)


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


def stale_button() -> str:
    """Answer to a press on an old or unknown button."""
    return _("This button is out of date. Please use the latest message.")


def command_in_questionnaire() -> str:
    """Answer to a command that does not work in the middle of the questionnaire."""
    return _(
        "That command is not available during the questionnaire. You can use /help, "
        "/language and /cancel at any time. Let's continue:"
    )


def resume_prompt(step: int, total: int) -> str:
    """/start in the middle of the questionnaire."""
    return _(
        "You have an unfinished questionnaire: step {step} of {total}. "
        "Continue where you left off, or start over?"
    ).format(step=number(step), total=number(total))


def summary_intro() -> str:
    """Header of the summary card at the end of the questionnaire."""
    return _("✅ That's everything. Please check your answers:")


def saved_profile() -> str:
    """After Confirm."""
    return _("🎉 Your organisation's profile is saved.")


def field_saved() -> str:
    """After editing one field from the profile."""
    return _("✅ Saved.")


def choose_field() -> str:
    """Prompt of the field list."""
    return _("Which answer would you like to change?")


def card(answers: Mapping[str, Any], *, since: datetime | None = None) -> str:
    """An organisation's card as its owner sees it (contacts included)."""
    name = escape(str(answers.get("name") or ""))
    country = answers.get("country")
    place = ", ".join(
        part
        for part in (
            label(COUNTRIES, country) if country else "",
            escape(str(answers.get("city") or "")),
        )
        if part
    )
    lines = [f"🏢 <b>{name}</b>", f"📍 {place}", ""]
    shown = [s.code for s in asked_steps(answers) if s.code not in {"name", "country", "city"}]
    for code in shown:
        step = BY_CODE[code]
        value = _value(step, answers.get(code))
        icon = ICONS.get(code, "•")
        if code == "description":
            lines.append(f"{icon} <b>{field_name(code)}:</b>\n{value}")
        else:
            lines.append(f"{icon} <b>{field_name(code)}:</b> {value}")
    if since is not None:
        lines += ["", _("In NGO Bridge since {date}").format(date=long_date(since))]
    return "\n".join(lines)


def main_menu(has_profile: bool) -> str:
    """The main menu's text."""
    if has_profile:
        return _("🏠 Main menu. What would you like to do?")
    return _(
        "🏠 Main menu. Fill in the questionnaire about your organisation to appear in the "
        "directory and get partner suggestions."
    )


def no_profile() -> str:
    """/profile before onboarding."""
    return _("You have not filled in the questionnaire yet. It takes about five minutes.")


def settings(language_code: str) -> str:
    """The settings screen."""
    return _("⚙️ Settings\n\nLanguage: {language}").format(language=LANGUAGES[language_code])


def help_text() -> str:
    """/help."""
    general = _(
        "<b>NGO Bridge</b> connects socially oriented NGOs across Russia, Kazakhstan, Armenia, "
        "Kyrgyzstan and the other CIS countries, so that they can learn from each other.\n\n"
        "<b>How it works</b>\n"
        "1. Fill in a short questionnaire about your organisation: what you can share, what "
        "you want to learn and how you like to cooperate.\n"
        "2. Your card appears in the directory (only if you agree).\n"
        "3. Other organisations can ask for your contacts; they get them only if you accept.\n\n"
        "<b>Commands</b>\n"
        "/start: begin, or continue the questionnaire\n"
        "/menu: the main menu\n"
        "/profile: your organisation's card; change any answer\n"
        "/settings: language and other settings\n"
        "/language: change the language\n"
        "/cancel: stop what you are doing\n"
        "/help: this message\n\n"
        "In the questionnaire, « Back returns to the previous question and Skip passes an "
        "optional one. Your answers are saved after every step."
    )
    about_events = _(
        "<b>Events</b>\n"
        "/events: upcoming webinars, internships, conferences, courses and meetings\n"
        "/unsubscribe: no more event announcements (/settings: which kinds and topics, your "
        "time zone)"
    )
    about_data = _(
        "<b>Your data</b>\n/mydata: see what is stored about you, download it or delete it"
    )
    return general + "\n\n" + about_events + "\n\n" + about_data


def cancelled_questionnaire() -> str:
    """/cancel during onboarding."""
    return _(
        "The questionnaire is cancelled and your answers are deleted. "
        "Send /start whenever you want to begin again."
    )


def cancelled_edit() -> str:
    """/cancel while editing a saved profile."""
    return _("Editing cancelled: your profile has not changed.")


def cancelled_prompt() -> str:
    """/cancel while the bot waited for typed words (search, badge request, admin note)."""
    return _("Cancelled.")


def nothing_to_cancel() -> str:
    """/cancel outside any flow."""
    return _("There is nothing to cancel.")


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
}


def button(key: str) -> str:
    """The label of a common button."""
    return _(BUTTONS[key])


def command_descriptions(admin: bool) -> list[tuple[str, str]]:
    """The command menu, in the current language."""
    commands = [
        ("start", _("Begin or continue")),
        ("menu", _("Main menu")),
        ("profile", _("My organisation's profile")),
        ("settings", _("Settings")),
        ("language", _("Change the language")),
        ("help", _("Help")),
        ("cancel", _("Cancel the current action")),
        ("events", _("Upcoming events")),
        ("unsubscribe", _("Stop event announcements")),
        ("mydata", _("Your data: download or delete")),
    ]
    if admin:
        commands.append(("stats", _("Network statistics")))
        commands.append(("verify", _("Verification requests")))
        commands.append(("reports", _("Reports on profiles")))
        commands.append(("event_new", _("Create an event")))
        commands.append(("events_admin", _("Events: publish, edit, cancel")))
        commands.append(("broadcast", _("Send a message to many users")))
        commands.append(("broadcast_cancel", _("Stop a running broadcast")))
        commands.append(("broadcasts", _("Past and running broadcasts")))
    return commands
