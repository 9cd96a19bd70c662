"""Sentences of answers and closing: Apply, the host's copy, the daily limit, "📬 Answers to
our posts", closing, and "Was a partner found?"."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Final

from bot import shared_texts
from bot.handlers.events import texts as event_texts
from bot.handlers.posts import call_texts
from bot.i18n import _, local_moment, number, plural
from bot.taxonomy import N_

BUTTONS: Final = {
    "answers": N_("📬 Answers to our posts"),
    "close": N_("⛔ Close"),
    "edit": N_("✏️ Edit"),
    "yes": N_("✅ Yes"),
    "no": N_("✖️ No"),
    "previous": N_("« Previous"),
    "next": N_("Next »"),
    "list": N_("« Our posts"),
    "cancel": N_("✖ Cancel"),
    "accept": N_("✅ Accept"),
    "decline": N_("✖️ Decline"),
}

POST_STATES: Final = {
    "open": N_("open"),
    "closed": N_("closed"),
    "pending": N_("waiting for review"),
    "cancelled": N_("cancelled"),
    "published": N_("published"),
}

ANSWER_STATES: Final = {
    "pending": N_("⏳ waiting for your answer"),
    "accepted": N_("✅ accepted"),
    "declined": N_("✖️ declined"),
    "closed": N_("🔒 not accepted (closed)"),
    "connected": N_("🤝 already connected"),
}

SHOWN_MESSAGE: Final = 300  # characters of a message on the answers page


def button(key: str) -> str:
    return _(BUTTONS[key])


def _q(name: str) -> str:
    return escape(shared_texts.quoted(name))


def ask_apply(title: str, host: str, limit: int) -> str:
    """After 📝 Apply."""
    return _(
        "📝 Write a short motivation to {host} for the internship {title}: who you are, what "
        "you would learn and bring (at most {limit} characters). They will see your "
        "organisation's card; contacts are exchanged once they accept."
    ).format(host=_q(host), title=_q(title), limit=number(limit))


def action(kind: str) -> str:
    """The button that answers a post of `kind`: a call or an internship."""
    if kind == "call":
        return _("🙋 We're interested")
    return event_texts.button("apply")


def dropped() -> str:
    """✖ Cancel under the question of an answer: nothing was sent."""
    return _("Cancelled.")


def empty() -> str:
    return _("Please write a few words: the message cannot be empty.")


def application(sender: str, title: str, text: str) -> str:
    """To each member of the host: who applies, and their motivation (escaped)."""
    head = _("📝 {name} applies to your internship {title}:").format(
        name=_q(sender), title=_q(title)
    )
    return head + "\n\n" + escape(text)


def host_notice(kind: str, sender: str, title: str, text: str) -> str:
    """To each member of the host: an answer to a call or an application, with its message."""
    if kind == "call":
        return call_texts.interest_in(sender, title, text)
    return application(sender, title, text)


def closed_undecided() -> str:
    """The host's notice of an answer nobody decided on before the post closed."""
    return _("🔒 The post closed before your organisation answered; they have been told.")


def already_connected(host: str) -> str:
    """To the answerer whose organisation is connected to the host already: the host
    decides on the answer itself."""
    return _(
        "📨 Your message has been passed on to {name}. Your organisations are already "
        "connected, so no contact request is needed: we will tell you when they accept or "
        "decline."
    ).format(name=_q(host))


def to_decide() -> str:
    """Under the host's notice of an answer from an organisation connected already."""
    return _(
        "🤝 Your organisations are already connected (their contacts are in our earlier "
        "messages). Accept or decline here: the first answer of your organisation counts."
    )


def decided(accepted: bool, by: str | None = None) -> str:
    """The notice once decided: by the reader (`by` None) or by another member."""
    if by is None:
        return _("✅ You accepted it.") if accepted else _("✖️ You declined it.")
    name = escape(by[:64])
    if accepted:
        return _("✅ Accepted by {name}.").format(name=name)
    return _("✖️ Declined by {name}.").format(name=name)


def decision_for_answerer(kind: str, accepted: bool, title: str, host: str) -> str:
    """To the answerer whose answer the host decided on (an application accepted gets the
    calendar file instead)."""
    if kind == "call":
        if accepted:
            text = _(
                "✅ {host} accepted your answer to the partner call {title}. Your "
                "organisations are already connected: their contacts are in our earlier "
                "messages."
            )
        else:
            text = _("✖️ {host} declined your answer to the partner call {title}.")
    elif accepted:
        text = _("✅ {host} accepted your application to the internship {title}.")
    else:
        text = _(
            "✖️ {host} declined your application to the internship {title}. Thank you for "
            "applying: other offers will come."
        )
    return text.format(host=_q(host), title=_q(title))


def request_waiting(host: str) -> str:
    """To the answerer whose organisation's earlier request to the host still waits."""
    return _(
        "📨 Your message has been passed on to {name}. Your organisation's earlier contact "
        "request to them is still waiting for their answer: it stands for this one too."
    ).format(name=_q(host))


def limit(count: int, retry_at: datetime, zone: str) -> str:
    """The daily limit of answers, and when it frees, in the reader's zone."""
    return plural(
        "Your organisation has already answered {n} post in the last 24 hours, the daily "
        "maximum. It can answer again from {moment} ({zone}).",
        "Your organisation has already answered {n} posts in the last 24 hours, the daily "
        "maximum. It can answer again from {moment} ({zone}).",
        count,
        moment=local_moment(retry_at, zone),
        zone=zone,
    )


def closed_notice(kind: str, title: str, host: str) -> str:
    """To a member whose answer was not accepted before the post closed."""
    if kind == "call":
        text = _(
            "🔒 The partner call {title} of {host} has closed, and your answer was not "
            "accepted. Thank you for your interest: other calls and offers will come."
        )
    else:
        text = _(
            "🔒 Applications to the internship {title} at {host} have closed, and your "
            "application was not accepted. Thank you for applying: other offers will come."
        )
    return text.format(title=_q(title), host=_q(host))


def found_question(title: str) -> str:
    return _("🤝 Your partner call {title} closed a week ago. Was a partner found?").format(
        title=_q(title)
    )


def found_thanks(found: bool) -> str:
    if found:
        return _("🎉 Thank you! We are glad the network helped you find a partner.")
    return _("Thank you for telling us. We hope the next call finds one.")


def closed_by_you(title: str) -> str:
    """An alert (plain text, at most 200 characters)."""
    return _("⛔ {title} is closed: it takes no more answers. Those not accepted are told.").format(
        title=shared_texts.in_alert(title)
    )


BUTTON_NAME_MAX: Final = 40  # an organisation's name on a button


def decide_button(accept: bool, name: str) -> str:
    """✅ / ✖️ beside a waiting answer on its post's page (plain text: a button)."""
    text = _("✅ Accept {name}") if accept else _("✖️ Decline {name}")
    short = name if len(name) <= BUTTON_NAME_MAX else name[: BUTTON_NAME_MAX - 1] + "…"
    return text.format(name=shared_texts.quoted(short))


def post_label(kind: str, event_kind: str) -> str:
    """A call with 🤝, an event with its kind's icon and name."""
    if kind == "call":
        return _("🤝 Partner call")
    return event_texts.kind_label(event_kind)


def counts(answers: int, accepted: int) -> str:
    return "{answers}, {accepted}".format(
        answers=plural("{n} answer", "{n} answers", answers),
        accepted=plural("{n} accepted", "{n} accepted", accepted),
    )


def answers_page(lines: list[tuple[str, str, int, int, str, bool]], total: int) -> str:
    """📬 Answers to our posts: `(label, title, answers, accepted, state, takes answers)`
    per post, numbered."""
    head = _("📬 <b>Answers to our posts</b>")
    if not lines:
        return head + "\n\n" + _("Your organisation has not posted anything yet.")
    rows = [head, plural("{n} post", "{n} posts", total), ""]
    for number_, (label, title, answers, accepted, state, takes) in enumerate(lines, start=1):
        row = f"{number_}. {label} · {escape(title)}\n   {_(POST_STATES[state])}"
        if takes:
            row += " · " + counts(answers, accepted)
        rows.append(row)
    return "\n".join(rows)


def post_page(
    label: str,
    title: str,
    state: str,
    answers: list[tuple[str, datetime, str, str]],
    total: int,
    accepted: int,
    zone: str,
) -> str:
    """One post and its answers: `(organisation, when, message, state)`, newest first."""
    rows = [f"{label} · <b>{escape(title)}</b>", _(POST_STATES[state]), counts(total, accepted)]
    if not answers:
        rows += ["", _("No answers yet.")]
    for name, moment, message, answer_state in answers:
        shown = message if len(message) <= SHOWN_MESSAGE else message[: SHOWN_MESSAGE - 1] + "…"
        rows += [
            "",
            f"🏢 {_q(name)} · {local_moment(moment, zone)}",
            _(ANSWER_STATES.get(answer_state, ANSWER_STATES["pending"])),
            escape(shown),
        ]
    if total > len(answers):
        rows += [
            "",
            plural("…and {n} earlier answer.", "…and {n} earlier answers.", total - len(answers)),
        ]
    return "\n".join(rows)
