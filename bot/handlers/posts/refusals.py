"""Why a post, an edit, a decision or an answer is refused, the limits the refusals name,
and the sentences saying so. A leaf of posts: posting, calls and texts import it, it
imports none of them (so PostRefused renders its own text, with no import cycle)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Final

from bot import navigation, shared_texts
from bot.i18n import _, local_moment, medium_date, plural

WAITING_MAX: Final = 5  # an organisation's posts waiting for review at once
OPEN_MAX: Final = 3  # an organisation's open partner calls (waiting for review included)


class PostRefusal(StrEnum):
    """Why a post, an edit or a decision cannot go ahead."""

    NO_ORGANISATION = "no_organisation"
    NO_ORGANISATION_TO_ANSWER = "no_organisation_to_answer"  # answering without one
    NOT_ACTIVE = "not_active"  # the organisation is hidden or banned
    NOT_YOURS = "not_yours"  # another organisation's post, or no longer editable
    GONE = "gone"
    TOO_MANY = "too_many"  # WAITING_MAX posts wait for review already
    NOT_ADMIN = "not_admin"
    DECIDED = "decided"  # another admin decided first
    YOU_DECIDED = "you_decided"
    OWN_CALL = "own_call"  # answering one's own organisation's partner call
    REPEATED = "repeated"  # the same title and description posted within a day
    OPEN_CALLS = "open_calls"  # OPEN_MAX partner calls open already
    NOT_POSTER = "not_poster"  # only its poster or the owners edit or close it
    OWN_POST = "own_post"  # applying to one's own organisation's internship
    CLOSED = "closed"  # a call or internship that takes no more answers
    ANSWERED = "answered"  # "Was a partner found?" answered already
    CANNOT_ANSWER = "cannot_answer"  # the answerer's organisation is hidden or banned
    STARTED = "started"  # the preview waited past the start: the time must change
    DEADLINE_PASSED = "deadline_passed"  # … past an internship's or a call's deadline
    TAKING_PART = "taking_part"  # applying again to an internship one takes part in
    APPLIED = "applied"  # applying again while one's application still waits
    NOT_HOST = "not_host"  # deciding on an answer to another organisation's post
    ANSWER_DECIDED = "answer_decided"  # another member of the host decided on it first
    YOU_ANSWERED = "you_answered"  # the presser decided on it already (on another copy)
    HOST_DECLINED = "host_declined"  # answering again a post whose host declined our answer


class PostRefused(navigation.Refused):
    """Raised before anything changed; a press is answered with `refusal` as an alert
    (`by`: the first name of the admin who decided)."""

    def __init__(
        self,
        reason: PostRefusal,
        by: str | None = None,
        *,
        until: datetime | date | None = None,
        zone: str = "UTC",
    ) -> None:
        super().__init__()
        self.args = (reason.value,)
        self.reason = reason
        self.by = by
        self.until, self.zone = until, zone  # when a limit frees, shown in `zone`

    def text(self) -> str:
        return refusal(self.reason, self.by, until=self.until, zone=self.zone)


def _until(until: datetime | date | None, zone: str) -> str:
    if isinstance(until, datetime):
        return f"{local_moment(until, zone)} ({zone})"
    return medium_date(until) if until is not None else ""


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
    if reason is PostRefusal.ANSWER_DECIDED:
        if by:
            return _("{name} has already answered this.").format(name=by[:64])
        return _("Another member of your organisation has already answered this.")
    messages = {
        PostRefusal.NO_ORGANISATION: _(
            "Only members of an organisation in the directory can post. Fill in the "
            "questionnaire first."
        ),
        PostRefusal.NO_ORGANISATION_TO_ANSWER: _(
            "Only members of an organisation in the directory can answer posts. Fill in the "
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
        PostRefusal.STARTED: _(
            "The start you gave has already passed. Use « Back to reach the start step, give "
            "a later time and submit again."
        ),
        PostRefusal.DEADLINE_PASSED: _(
            "The deadline you gave has already passed. Use « Back to reach the deadline "
            "step, give a later date and submit again."
        ),
        PostRefusal.TAKING_PART: _("✅ You already take part in this internship."),
        PostRefusal.NOT_HOST: _("Only members of the organisation answered can decide."),
        PostRefusal.YOU_ANSWERED: _("You have already answered this."),
        PostRefusal.HOST_DECLINED: _(
            "The host has already declined your organisation's answer to this post."
        ),
        PostRefusal.APPLIED: _("⏳ Your application is waiting for the host's answer."),
    }
    return messages[reason]
