"""The questionnaire's questions, answers and summary card."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any, Final

from bot.handlers.onboarding.questionnaire import (
    BY_CODE,
    CITY_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    Kind,
    Step,
    asked_steps,
    position,
)
from bot.i18n import _, long_date, number, plural
from bot.shared_texts import label
from bot.taxonomy import COUNTRIES, N_

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


def field_name(code: str) -> str:
    """The translated name of a profile field."""
    return _(FIELD_NAMES[code])


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


def command_in_questionnaire() -> str:
    """Answer to a command that does not work in the middle of the questionnaire."""
    return _(
        "That command is not available during the questionnaire. /help, /language, "
        "/settings, /events, /mydata and /cancel work at any time. Let's continue:"
    )


def paused(step: int, total: int) -> str:
    """After a command used in the middle of the questionnaire."""
    return _(
        "⏸ Your questionnaire waits at step {step} of {total}. Continue when you are ready."
    ).format(step=number(step), total=number(total))


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


def cancelled_questionnaire() -> str:
    """/cancel during onboarding."""
    return _(
        "The questionnaire is cancelled and your answers are deleted. "
        "Send /start whenever you want to begin again."
    )


def cancelled_edit() -> str:
    """/cancel while editing a saved profile."""
    return _("Editing cancelled: your profile has not changed.")


def interrupted() -> str:
    """Alert: a press on a question whose questionnaire the bot no longer has (its state
    was lost, e.g. Redis restarted without persistence)."""
    return _("Your questionnaire was interrupted and its answers were lost. Sorry!")


def interrupted_offer() -> str:
    """After that alert: the way back in."""
    return _(
        "⚠️ Your questionnaire was interrupted on our side and the answers given so far "
        "were lost. Please start it again: it takes a few minutes."
    )
