"""Sentences of posts: offering, the member's preview, the admins' review, the notices."""

from __future__ import annotations

from html import escape
from typing import Final

from bot import shared_texts
from bot.handlers.events import texts as event_texts
from bot.handlers.events.drafts import EventInfo
from bot.handlers.posts import call_texts
from bot.handlers.posts.calls import CallInfo, Post
from bot.handlers.posts.refusals import refusal as refusal
from bot.i18n import _, number, plural
from bot.taxonomy import N_

BUTTONS: Final = {
    "event": N_("🎓 An event we host"),
    "internship": N_("🧑‍🎓 An internship we host"),
    "call": N_("🤝 We seek a partner"),
    "interest": N_("🙋 We're interested"),
    "submit": N_("📨 Submit"),
    "edit": N_("✏️ Edit and submit again"),
    "resume": N_("✏️ Continue the draft"),
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


def what_kind(post: Post) -> str:
    """What a post is, as its sentences say: "event", "internship" or "call"."""
    if isinstance(post, CallInfo):
        return "call"
    return "internship" if post.draft.kind == "internship" else "event"


# Each kind says what it is: above the preview, on the admins' copies, in the member's
# confirmations (whole sentences, so that each language can agree them).
PREVIEW_HEADS: Final = {
    "event": N_("👀 <b>Preview of your event</b>: this is exactly what subscribers will get."),
    "internship": N_(
        "👀 <b>Preview of your internship</b>: this is exactly what subscribers will get."
    ),
    "call": N_(
        "👀 <b>Preview of your partner call</b>: this is exactly what the organisations it "
        "suits will get."
    ),
}
REVIEW_HEADS: Final = {
    "event": N_("📝 <b>An event to review</b> (#{id})"),
    "internship": N_("📝 <b>An internship to review</b> (#{id})"),
    "call": N_("📝 <b>A partner call to review</b> (#{id})"),
}
SUBMITTED: Final = {
    "event": N_(
        "📨 Your event {title} was sent for review. You and your colleagues will be told when "
        "an administrator decides."
    ),
    "internship": N_(
        "📨 Your internship {title} was sent for review. You and your colleagues will be told "
        "when an administrator decides."
    ),
    "call": N_(
        "📨 Your partner call {title} was sent for review. You and your colleagues will be "
        "told when an administrator decides."
    ),
}
PUBLISHED_DIRECTLY: Final = {
    "event": N_(
        "📣 Your event {title} is published: your organisation has a valid trust badge, so it "
        "goes out without review."
    ),
    "internship": N_(
        "📣 Your internship {title} is published: your organisation has a valid trust badge, "
        "so it goes out without review."
    ),
}
APPROVED: Final = {
    "event": N_(
        "✅ Your event {title} was approved and published: the organisations it suits will get it."
    ),
    "internship": N_(
        "✅ Your internship {title} was approved and published: the organisations it suits "
        "will get it."
    ),
    "call": N_(
        "✅ Your partner call {title} was approved and published: the organisations it suits "
        "will get it."
    ),
}
REJECTED: Final = {
    "event": N_("❌ Your event {title} was not approved."),
    "internship": N_("❌ Your internship {title} was not approved."),
    "call": N_("❌ Your partner call {title} was not approved."),
}


def offer() -> str:
    """📣 Offer or seek, from the main menu."""
    return _(
        "📣 <b>Offer or seek</b>\n\nTell the network what your organisation offers or seeks: "
        "an event you host (a webinar, a conference or forum, a course or a meeting), an "
        "internship you host, or a partner for a project. An administrator looks at it first, "
        "then it is announced to the organisations it suits."
    )


def draft_kept(title: str | None) -> str:
    """Under 📣 Offer or seek, when a post was left midway (its title, if written)."""
    if title:
        return _(
            "✏️ Your draft {title} is kept where you left it: continue it, or start another "
            "post (it replaces the draft)."
        ).format(title=escape(shared_texts.quoted(title[:120])))
    return _(
        "✏️ Your draft is kept where you left it: continue it, or start another post (it "
        "replaces the draft)."
    )


def preview_head(kind: str = "event") -> str:
    """Above the member's preview of a post of `kind` ("event", "internship", "call")."""
    return _(PREVIEW_HEADS[kind])


def stopped() -> str:
    return _("The post was not saved.")


def submitted(event: Post) -> str:
    """The post went to the admins."""
    return _(SUBMITTED[what_kind(event)]).format(title=_title(event))


def places_prompt(number_: int, total: int, least: int, most: int) -> str:
    """An internship's places, with the wizard's progress."""
    head = internship_head(number_, total)
    question = _("How many interns can you host? A number from {least} to {most}.").format(
        least=number(least), most=number(most)
    )
    return head + "\n\n" + question


def internship_head(number_: int, total: int) -> str:
    """Above each question of an internship."""
    return _("🧑‍🎓 <b>New internship</b> · step {step} of {total}").format(
        step=number_, total=total
    )


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
    """POST_REVIEW=unverified and a valid badge: no review (an event or an internship)."""
    return _(PUBLISHED_DIRECTLY[what_kind(event)]).format(title=_title(event))


def review_card(event: Post) -> str:
    """A post as an admin reviews it (the card in the host's time zone)."""
    head = _(REVIEW_HEADS[what_kind(event)]).format(id=event.id)
    if isinstance(event, CallInfo):
        return head + "\n\n" + call_texts.card(event.draft, event.host, event.zone)
    return head + "\n\n" + event_texts.card(event, event.draft.time_zone)


def ask_reason(event: Post) -> str:
    return review_card(event) + "\n\n" + _("Why is it rejected? The organisation will see it.")


def ask_note(event: Post, reason: str, limit: int) -> str:
    return (
        review_card(event)
        + "\n\n"
        + _(
            "Reason: {reason}. Write a comment for the organisation (at most {limit} "
            "characters), or reject without one."
        ).format(reason=reason_label(reason), limit=limit)
    )


def note_too_long(limit: int) -> str:
    return _("The comment is too long: at most {limit} characters. Please write it again.").format(
        limit=limit
    )


def decided_by_you(event: Post, approved: bool, suits: int | None = None) -> str:
    """What the deciding admin's copies say (an approved partner call: how many
    organisations it suits)."""
    if approved:
        return _with_reach(_("✅ You approved {title}.").format(title=_title(event)), suits)
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


def approved_notice(event: Post, suits: int | None = None) -> str:
    """To each member of the host organisation (an approved partner call: how many
    organisations it suits)."""
    return _with_reach(_(APPROVED[what_kind(event)]).format(title=_title(event)), suits)


def _with_reach(text: str, suits: int | None) -> str:
    """`text`, and how many organisations an approved partner call suits (their members
    get it as the scheduler queues them, outside their quiet hours)."""
    if suits is None:
        return text
    reach = plural("👥 It suits {n} organisation.", "👥 It suits {n} organisations.", suits)
    return f"{text}\n{reach}"


def rejected_notice(event: Post, reason: str | None, note: str | None) -> str:
    """To each member of the host organisation."""
    lines = [
        _(REJECTED[what_kind(event)]).format(title=_title(event)),
        _("Reason: {reason}").format(reason=reason_label(reason)),
    ]
    if note:
        lines.append(_("Comment: {note}").format(note=escape(note)))
    lines += ["", _("You can edit it and submit it again.")]
    return "\n".join(lines)


def notice_outdated(fate: str) -> str:
    """An alert: ✏️ Edit under a rejection notice of a post sent for review again since
    (`fate` "resubmitted") or published since ("published")."""
    if fate == "published":
        return _("✏️ This post has been published since: edit it from 📬 Answers to our posts.")
    return _("✏️ This post has already been sent for review again.")


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
        what = (
            "🤝 " + _("Partner call")
            if isinstance(event, CallInfo)
            else event_texts.kind_label(event.draft.kind)
        )
        lines.append(f"#{event.id} {what}: {_title(event)} · {host}")
    return "\n".join(lines)
