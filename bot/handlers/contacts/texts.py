"""Contact requests, introductions and follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Final

from bot.handlers.contacts.introductions import RequestRefusal, Side
from bot.handlers.contacts.queries import AnswerNote
from bot.handlers.directory.search import Card
from bot.handlers.directory.texts import banned, card, card_gone
from bot.i18n import _, long_date, plural
from bot.shared_texts import in_alert, outcome_label, quoted

TITLE_SHOWN: Final = 120  # a post's title on a request in the inbox
MESSAGE_SHOWN: Final = 600  # the message or motivation sent with it


def refusal(reason: RequestRefusal, retry_at: datetime | None = None, by: str | None = None) -> str:
    """Why a contact request or an answer could not be taken (`by`: who answered first)."""
    match reason:
        case RequestRefusal.NO_PROFILE:
            return _(
                "To ask for contacts, fill in your organisation's questionnaire first: the "
                "other side sees your card."
            )
        case RequestRefusal.BANNED:
            return banned()
        case RequestRefusal.SELF:
            return _("This is your own organisation.")
        case RequestRefusal.NOT_FOUND:
            return card_gone()
        case RequestRefusal.DUPLICATE:
            return _("A request between your organisations is already waiting for an answer.")
        case RequestRefusal.CONNECTED:
            return _("You are already connected: look for their contacts in our earlier messages.")
        case RequestRefusal.LIMIT:
            moment = long_date(retry_at) if retry_at is not None else ""
            return plural(
                "Your organisation has already sent {n} contact request in the last 24 hours, "
                "the daily maximum for an organisation. It can send more from {date}.",
                "Your organisation has already sent {n} contact requests in the last 24 hours, "
                "the daily maximum for an organisation. It can send more from {date}.",
                10,
                date=moment,
            )
        case RequestRefusal.NOT_YOURS:
            return _("This request is not addressed to your organisation.")
        case RequestRefusal.DECIDED if by:
            return _("{name} from your organisation has already answered this request.").format(
                name=by[:64]
            )
        case RequestRefusal.DECIDED:
            return _("This request has already been answered.")
        case RequestRefusal.YOU_DECIDED:
            return _("You have already answered this request.")
    raise AssertionError(reason)


def request_sent(name: str) -> str:
    """To the requester."""
    return _("📨 Your request has been sent to {name}. We will tell you when they answer.").format(
        name=escape(quoted(name))
    )


def request_sent_alert(name: str) -> str:
    """`request_sent` as an alert: plain text, at most 200 characters."""
    return _("📨 Your request has been sent to {name}. We will tell you when they answer.").format(
        name=in_alert(name)
    )


def request_head(sender: str) -> str:
    """A request's first line (who asks, by the organisation's name): kept on its copies
    once it is answered."""
    return _("📨 <b>{name}</b> would like to get in touch with your organisation.").format(
        name=escape(sender)
    )


def incoming_request(sender: Card) -> str:
    """To the recipient of a request: the requester's card."""
    return (
        request_head(sender.name)
        + "\n\n"
        + card(sender)
        + "\n\n"
        + _(
            "If you accept, you will both receive each other's contacts. If you decline, they "
            "will be told politely, without reasons."
        )
    )


def inbox_empty() -> str:
    """No request waits for an answer."""
    return _("📨 No contact requests are waiting for your answer.")


def answered_post(note: AnswerNote) -> str:
    """What a request answers: one of our posts, by title, and the message or motivation
    sent with it (escaped, bounded)."""
    title = escape(quoted(note.title[:TITLE_SHOWN]))
    if note.kind == "internship":
        head = _("🧑‍🎓 Answers your internship {title}. Their motivation:").format(title=title)
    else:
        head = _("🤝 Answers your partner call {title}. Their message:").format(title=title)
    message = (
        note.message
        if len(note.message) <= MESSAGE_SHOWN
        else (note.message[: MESSAGE_SHOWN - 1] + "…")
    )
    return head + "\n<i>" + escape(message) + "</i>"


def inbox(sender: Card, waiting: int, answers: Sequence[AnswerNote] = ()) -> str:
    """The oldest waiting request, with how many wait (and the answers to our posts it
    stands for, under its first line)."""
    head = plural(
        "📨 {n} request is waiting for your answer.",
        "📨 {n} requests are waiting for your answer.",
        waiting,
    )
    request = incoming_request(sender)
    if answers:
        first, rest = request.split("\n\n", 1)
        notes = "\n\n".join(answered_post(note) for note in answers)
        request = f"{first}\n\n{notes}\n\n{rest}"
    return head + "\n\n" + request


def contacts(party: Side) -> str:
    """What an accepted introduction reveals about one side."""
    lines = [f"🏢 <b>{escape(party.name)}</b>"]
    if party.website:
        lines.append("🌐 " + _("Website") + ": " + escape(party.website))
    if party.contact:
        lines.append("✉️ " + _("Public contact") + ": " + escape(party.contact))
    person = f'<a href="tg://user?id={party.user_id}">{escape(party.first_name or "Telegram")}</a>'
    if party.username:
        person += " (@" + escape(party.username) + ")"
    lines.append("👤 " + _("In Telegram") + ": " + person)
    return "\n".join(lines)


def accepted_for_recipient(sender: Side) -> str:
    """The recipient accepted: the requester's contacts."""
    return _("✅ You accepted the request. Their contacts:") + "\n\n" + contacts(sender)


def accepted_for_sender(recipient: Side) -> str:
    """The requester learns of the acceptance."""
    return (
        _("🎉 {name} accepted your request. Their contacts:").format(
            name=escape(quoted(recipient.name))
        )
        + "\n\n"
        + contacts(recipient)
    )


def declined_for_recipient(sender: str) -> str:
    """The recipient declined (below the request's first line; `sender`: its name)."""
    return (
        request_head(sender)
        + "\n\n"
        + _("You declined the request. The other organisation will not see your contacts.")
    )


def declined_for_sender(recipient: str) -> str:
    """The requester learns of the refusal (by `recipient`, named), politely."""
    return _(
        "{name} cannot take up your request at the moment. Thank you for reaching out: "
        "« Suggested for you » may show other organisations that fit."
    ).format(name=escape(quoted(recipient)))


def followup_question(partner: str) -> str:
    """Two weeks after an introduction."""
    return _(
        "🤝 Two weeks ago you exchanged contacts with {name} through NGO Bridge. "
        "What came of it? Your answer helps us understand how the network works."
    ).format(name=escape(quoted(partner)))


def followup_after_call(partner: str) -> str:
    """The day after a call agreed through the bot."""
    return _(
        "🤝 Yesterday you had a call with {name}, arranged through NGO Bridge. "
        "What came of it? Your answer helps us understand how the network works."
    ).format(name=escape(quoted(partner)))


def arrange_call() -> str:
    """The button under an accepted introduction that starts proposing a call."""
    return _("📅 Arrange a call")


def arrange_call_with(name: str) -> str:
    """The same button on an introduction's line in 📨 Contact requests."""
    return _("📅 Arrange a call: {name}").format(name=name[:40])


def outcome(code: str) -> str:
    """A follow-up answer's label."""
    return outcome_label(code)


def followup_thanks(code: str) -> str:
    """After the follow-up answer."""
    return _("Thank you! Noted: {outcome}.").format(outcome=outcome(code))


def answered_by(sender: str, name: str, accepted: bool) -> str:
    """Another member's copy of a request, once someone answered it: its first line, then
    who answered and how."""
    if accepted:
        outcome = _("✅ Accepted by {name}.").format(name=escape(name[:64]))
    else:
        outcome = _("✖️ Declined by {name}.").format(name=escape(name[:64]))
    return request_head(sender) + "\n\n" + outcome


def answered_by_you(sender: str, accepted: bool) -> str:
    """Another copy of the answerer's own (they answered from the inbox, say): its first
    line, then their answer."""
    accepted_text, declined_text = (
        _("✅ You accepted this request."),
        _("✖️ You declined this request."),
    )
    return request_head(sender) + "\n\n" + (accepted_text if accepted else declined_text)


def followup_kept(code: str) -> str:
    """A follow-up a colleague answered first: their answer is kept."""
    return _("Your organisation has already answered: {outcome}. Thank you!").format(
        outcome=outcome(code)
    )


def connections(parties: list[Side]) -> str:
    """The organisations ours is connected with, and their contacts ("" if none)."""
    if not parties:
        return ""
    return (
        _("🤝 <b>Your organisation's latest introductions</b>")
        + "\n\n"
        + "\n\n".join(contacts(party) for party in parties)
    )
