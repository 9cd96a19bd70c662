"""Sentences of partner calls: the wizard's questions, the card readers get, the problems."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Final

from bot import shared_texts
from bot.handlers.posts.calls import (
    DESCRIPTION_MAX,
    INTEREST_MAX,
    PROGRAMME_MAX,
    TITLE_MAX,
    CallDraft,
    CallError,
    CallInfo,
    CallProblem,
)
from bot.i18n import _, number
from bot.languages import LANGUAGES
from bot.taxonomy import N_

PROMPTS: Final = {
    "title": N_(
        "What is the project? Its title, as partners will see it (up to {limit} characters)."
    ),
    "description": N_(
        "Describe the project and the partner you seek: what you will do together, what the "
        "partner gets (up to {limit} characters)."
    ),
    "topics": N_(
        "What should the partner bring? Organisations that can share these topics get the "
        "call. None ticked: any."
    ),
    "countries": N_("Partners from which countries? None ticked: all."),
    "deadline": N_(
        "Until when do you accept answers? A date from tomorrow to a year ahead, in your time "
        "zone {zone}. For example: 01.03.2027 or 2027-03-01"
    ),
    "programme": N_("The grant or programme it is for (up to {limit} characters), or skip."),
    "languages": N_("The project's working languages? None ticked: any."),
}


def step_prompt(step: str, number_: int, total: int, zone: str) -> str:
    """A question of the partner call wizard with its progress."""
    limits = {"title": TITLE_MAX, "description": DESCRIPTION_MAX, "programme": PROGRAMME_MAX}
    head = _("🤝 <b>We seek a partner</b> · step {step} of {total}").format(
        step=number_, total=total
    )
    question = _(PROMPTS[step]).format(limit=number(limits.get(step, 0)), zone=zone)
    return head + "\n\n" + question


def card(draft: CallDraft, host: str, zone: str) -> str:
    """A partner call, exactly as the organisations it suits get it (its deadline the end
    of that day in `zone`, the poster's)."""
    until = shared_texts.end_of_day(draft.deadline, zone)
    lines = [
        f"🤝 <b>{escape(draft.title)}</b>",
        _("We seek a partner · answers until {date}").format(date=until),
        "",
        escape(draft.description),
        "",
    ]
    if draft.topics:
        lines.append(
            _("The partner brings: {topics}").format(
                topics=shared_texts.choice_labels(draft.topics, "topics")
            )
        )
    if draft.countries:
        lines.append(
            _("Partners from: {countries}").format(
                countries=shared_texts.choice_labels(draft.countries, "countries")
            )
        )
    if draft.languages:
        lines.append(
            _("Working languages: {languages}").format(
                languages=", ".join(LANGUAGES[code] for code in draft.languages)
            )
        )
    if draft.programme:
        lines.append(_("Grant or programme: {name}").format(name=escape(draft.programme)))
    lines += ["", _("🏢 Hosted by {name}").format(name=escape(shared_texts.quoted(host)))]
    return "\n".join(lines)


def problem(error: CallError) -> str:
    """Why an answer was not taken (the same question follows)."""
    if error.problem is CallProblem.TOO_LONG:
        return _("That is too long: at most {limit} characters, and you sent {length}.").format(
            limit=number(error.limit), length=number(error.length)
        )
    messages = {
        CallProblem.EMPTY: _("Please write something (or use the buttons)."),
        CallProblem.FORMAT: _("Please write the date like 01.03.2027 or 2027-03-01."),
        CallProblem.IMPOSSIBLE: _("There is no such date. Please check the day and the month."),
        CallProblem.TOO_SOON: _("The deadline must be tomorrow or later."),
        CallProblem.TOO_FAR: _("The deadline must be within a year."),
    }
    return messages[error.problem]


def taken(value: date, zone: str) -> str:
    """A typed deadline shown back, before the next question (the end of that day in the
    poster's zone)."""
    return _("✓ {value}").format(value=shared_texts.end_of_day(value, zone))


def announcement(call: CallInfo) -> str:
    """A partner call as the organisations it suits get it."""
    return _("📣 <b>A partner call</b>") + "\n\n" + card(call.draft, call.host, call.zone)


def ask_interest(call: CallInfo) -> str:
    """After 🙋 We're interested."""
    return _(
        "🙋 Write a short message to {host} about {title}: who you are and what you would "
        "bring (at most {limit} characters). They will see your organisation's card; "
        "contacts are exchanged once they accept."
    ).format(
        host=escape(shared_texts.quoted(call.host)),
        title=escape(shared_texts.quoted(call.draft.title)),
        limit=number(INTEREST_MAX),
    )


def interest_too_long(limit: int, length: int) -> str:
    return _("Please write a message of at most {limit} characters (you sent {length}).").format(
        limit=number(limit), length=number(length)
    )


def interest_in(sender: str, title: str, text: str) -> str:
    """To each member of the host: who is interested, and their message."""
    return (
        _("🙋 {name} is interested in your partner call {title}:").format(
            name=escape(shared_texts.quoted(sender)),
            title=escape(shared_texts.quoted(title)),
        )
        + "\n\n"
        + escape(text)
    )
