"""Sentences of posts: offering, the member's preview, the admins' review, the notices."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Final

from bot import shared_texts
from bot.handlers.events import texts as event_texts
from bot.handlers.events.drafts import EventInfo
from bot.handlers.posts import call_texts
from bot.handlers.posts.calls import OPEN_MAX, CallInfo
from bot.handlers.posts.posting import WAITING_MAX, PostRefusal
from bot.handlers.posts.review import NOTE_MAX, Post
from bot.i18n import _, local_moment, number, plural
from bot.taxonomy import N_

BUTTONS: Final = {
    "event": N_("🎓 An event we host"),
    "internship": N_("🧑‍🎓 An internship we host"),
    "call": N_("🤝 We seek a partner"),
    "interest": N_("🙋 We're interested"),
    "submit": N_("📨 Submit"),
    "edit": N_("✏️ Edit and submit again"),
    "host_card": N_("🏢 The host's card"),
    "approve": N_("✅ Approve"),
    "reject": N_("❌ Reject"),
    "bare": N_("Reject without a comment"),
    "back": N_("« Back"),
}

REASONS: Final = {
    "off_topic": N_("Off topic for the network"),
    "incomplete": N_("Incomplete or unclear"),
    "duplicate": N_("Already posted"),
    "not_for_ngos": N_("Not for NGOs"),
    "other": N_("Another reason"),
}


def button(key: str) -> str:
    return _(BUTTONS[key])


def reason_label(code: str | None) -> str:
    return _(REASONS[code]) if code in REASONS else ""


def _title(event: Post) -> str:
    return escape(shared_texts.quoted(event.draft.title))


def offer() -> str:
    """📣 Offer or seek, from the main menu."""
    return _(
        "📣 <b>Offer or seek</b>\n\nTell the network what your organisation offers or seeks: "
        "an event you host (a webinar, a conference or forum, a course or a meeting), an "
        "internship you host, or a partner for a project. An administrator looks at it first, "
        "then it is announced to the organisations it suits."
    )


def preview_head() -> str:
    """Above the member's preview."""
    return _("👀 <b>Preview</b>: this is exactly what subscribers will get.")


def stopped() -> str:
    return _("The post was not saved.")


def submitted(event: Post) -> str:
    """The post went to the admins."""
    return _(
        "📨 {title} was sent for review. You and your colleagues will be told when an "
        "administrator decides."
    ).format(title=_title(event))


def places_prompt(number_: int, total: int, least: int, most: int) -> str:
    """An internship's places, with the wizard's progress."""
    head = _("📅 <b>New event</b> · step {step} of {total}").format(step=number_, total=total)
    question = _("How many interns can you host? A number from {least} to {most}.").format(
        least=number(least), most=number(most)
    )
    return head + "\n\n" + question


def bad_places(least: int, most: int) -> str:
    """Places that are not a whole number in the range (the same step follows)."""
    return _("Please send a whole number from {least} to {most}, for example 2.").format(
        least=number(least), most=number(most)
    )


def kept(post: Post) -> str:
    """A published post changed but in its text: it stays published (an event's attendees
    are told of a new time, link or place)."""
    if isinstance(post, CallInfo):
        return _("💾 {title} is changed and stays published.").format(title=_title(post))
    return _(
        "💾 {title} is changed and stays published. Those who said they would attend are told."
    ).format(title=_title(post))


def published_directly(event: Post) -> str:
    """POST_REVIEW=unverified and a valid badge: no review."""
    return _(
        "📣 {title} is published: your organisation has a valid trust badge, so it goes out "
        "without review."
    ).format(title=_title(event))


def review_card(event: Post) -> str:
    """A post as an admin reviews it (the card in the host's time zone)."""
    head = _("📝 <b>A post to review</b> (#{id})").format(id=event.id)
    if isinstance(event, CallInfo):
        return head + "\n\n" + call_texts.card(event.draft, event.host)
    return head + "\n\n" + event_texts.card(event, event.draft.time_zone)


def ask_reason(event: Post) -> str:
    return review_card(event) + "\n\n" + _("Why is it rejected? The organisation will see it.")


def ask_note(event: Post, reason: str) -> str:
    return (
        review_card(event)
        + "\n\n"
        + _(
            "Reason: {reason}. Write a comment for the organisation (at most {limit} "
            "characters), or reject without one."
        ).format(reason=reason_label(reason), limit=NOTE_MAX)
    )


def note_too_long(limit: int) -> str:
    return _("The comment is too long: at most {limit} characters. Please write it again.").format(
        limit=limit
    )


def decided_by_you(event: Post, approved: bool) -> str:
    if approved:
        return _("✅ You approved {title}.").format(title=_title(event))
    return _("❌ You rejected {title}.").format(title=_title(event))


def decided_by(event: Post, name: str, approved: bool, reason: str | None) -> str:
    """Another admin's copy, once one decided."""
    if approved:
        return _("✅ {title} was approved by {name}.").format(
            title=_title(event), name=escape(name)
        )
    return _("❌ {title} was rejected by {name}: {reason}.").format(
        title=_title(event), name=escape(name), reason=reason_label(reason)
    )


def not_published(event: EventInfo) -> str:
    """Approved, but too late to announce."""
    return _("{title} is approved, but it could not be published: it has already started.").format(
        title=_title(event)
    )


def approved_notice(event: Post) -> str:
    """To each member of the host organisation."""
    return _(
        "✅ Your post {title} was approved and published: the organisations it suits will get it."
    ).format(title=_title(event))


def rejected_notice(event: Post, reason: str | None, note: str | None) -> str:
    """To each member of the host organisation."""
    lines = [
        _("❌ Your post {title} was not approved.").format(title=_title(event)),
        _("Reason: {reason}").format(reason=reason_label(reason)),
    ]
    if note:
        lines.append(_("Comment: {note}").format(note=escape(note)))
    lines += ["", _("You can edit it and submit it again.")]
    return "\n".join(lines)


def waiting(events: list[Post], total: int) -> str:
    """/review."""
    if not events:
        return _("No posts are waiting for review.")
    lines = [
        plural("📝 {n} post is waiting for review:", "📝 {n} posts are waiting for review:", total),
        "",
    ]
    for event in events:
        host = escape(shared_texts.quoted(event.host or ""))
        mark = "🤝 " if isinstance(event, CallInfo) else ""
        lines.append(f"{mark}#{event.id} {_title(event)} · {host}")
    return "\n".join(lines)


def _until(until: datetime | date | None, zone: str) -> str:
    if isinstance(until, datetime):
        return f"{local_moment(until, zone)} ({zone})"
    return call_texts.day(until) if until is not None else ""


def refusal(
    reason: PostRefusal,
    by: str | None = None,
    *,
    until: datetime | date | None = None,
    zone: str = "UTC",
) -> str:
    """Why a post, an edit or a decision was refused (a limit: when it frees)."""
    if reason is PostRefusal.NOT_ADMIN:
        return shared_texts.admins_only()
    if reason is PostRefusal.DECIDED:
        if by:
            return _("{name} has already decided on this post.").format(name=by)
        return _("Another administrator has already decided on this post.")
    messages = {
        PostRefusal.NO_ORGANISATION: _(
            "Only members of an organisation in the directory can post. Fill in the "
            "questionnaire first."
        ),
        PostRefusal.NOT_ACTIVE: _(
            "Your organisation's profile is hidden or blocked: it cannot post."
        ),
        PostRefusal.NOT_YOURS: _("This post cannot be edited now."),
        PostRefusal.GONE: _("This post no longer exists."),
        PostRefusal.YOU_DECIDED: _("You have already decided on this post."),
        PostRefusal.OWN_CALL: _("This is your own organisation's partner call."),
        PostRefusal.REPEATED: _(
            "Your organisation posted the same title and description less than a day ago. You "
            "can post it again after {when}."
        ).format(when=_until(until, zone)),
        PostRefusal.OPEN_CALLS: plural(
            "Your organisation already has {n} open partner call. You can post another once "
            "one closes: the earliest deadline is {date}.",
            "Your organisation already has {n} open partner calls. You can post another once "
            "one closes: the earliest deadline is {date}.",
            OPEN_MAX,
            date=_until(until, zone),
        ),
        PostRefusal.OWN_POST: _("This is your own organisation's post."),
        PostRefusal.CLOSED: _("This post is closed: it takes no more answers."),
        PostRefusal.NOT_POSTER: _(
            "Only the member who posted it and the organisation's owners can do this."
        ),
        PostRefusal.ANSWERED: _("This question has already been answered."),
        PostRefusal.CANNOT_ANSWER: _(
            "Your organisation's profile is hidden or blocked: it cannot answer posts."
        ),
        PostRefusal.TOO_MANY: plural(
            "Your organisation already has {n} post waiting for review. You can post again "
            "once an administrator decides on it.",
            "Your organisation already has {n} posts waiting for review. You can post again "
            "once an administrator decides on one of them.",
            WAITING_MAX,
        ),
    }
    return messages[reason]
