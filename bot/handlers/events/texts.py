"""Sentences of events: announcements, reminders, /events, /event_new and /events_admin."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Final

from bot import shared_texts
from bot.handlers.events.drafts import Draft, EventInfo
from bot.handlers.events.publishing import Published
from bot.handlers.events.wizard_steps import (
    DESCRIPTION_MAX,
    PLACE_MAX,
    TITLE_MAX,
    EventError,
    EventProblem,
)
from bot.i18n import NC_, _, local_moment, local_time, number, pgettext, plural, same_local_day
from bot.taxonomy import EVENT_KINDS, N_

KIND_ICONS: Final = {
    "webinar": "💻",
    "internship": "🎓",
    "conference": "🏛",
    "course": "📚",
    "meeting": "🤝",
}


STATUSES: Final = {
    "draft": NC_("event status", "draft"),
    "scheduled": NC_("event status", "scheduled"),
    "published": NC_("event status", "published"),
    "cancelled": NC_("event status", "cancelled"),
}


def status_label(code: str) -> str:
    """A status, translated in its own context."""
    return pgettext(*STATUSES[code])


BUTTONS: Final = {
    "going": N_("✅ I'll attend"),
    "not_going": N_("✖ Not going"),
    "apply": N_("📝 Apply"),
    "publish": N_("📣 Publish now"),
    "publish_at": N_("🕒 Publish at a date"),
    "draft": N_("💾 Save as draft"),
    "done": N_("✔ Done"),
    "all": N_("All"),
    "skip": N_("Skip"),
    "back": N_("« Back"),
    "abort": N_("✖ Stop"),
    "cancel_yes": N_("🚫 Yes, cancel it"),
    "keep": N_("« Keep it"),
    "events_on": N_("🔔 Event announcements: on"),
    "events_off": N_("🔕 Event announcements: off"),
    "digest_on": N_("📰 Weekly digest: on"),
    "digest_off": N_("📰 Weekly digest: off"),
    "kinds": N_("📅 Kinds of events"),
    "topics": N_("🧭 Topics"),
    "zone": N_("🕒 Time zone"),
}


def button(key: str) -> str:
    """An events button's label."""
    return _(BUTTONS[key])


def kind_label(code: str) -> str:
    """An event kind with its icon."""
    return f"{KIND_ICONS.get(code, '📅')} {shared_texts.label(EVENT_KINDS, code)}"


def when(draft: Draft, zone: str) -> str:
    """Start and end in `zone`: "14 December 2026, 15:00–17:00 (Asia/Almaty)"."""
    start = local_moment(draft.starts_at, zone)
    if same_local_day(draft.starts_at, draft.ends_at, zone):
        return f"{start}–{local_time(draft.ends_at, zone)} ({zone})"
    return f"{start} – {local_moment(draft.ends_at, zone)} ({zone})"


def _where(draft: Draft) -> str | None:
    if draft.place:
        return _("📍 {place}").format(place=escape(draft.place))
    if draft.link:
        return _("🔗 Online: {link}").format(link=escape(draft.link))
    return None


def card(event: EventInfo, zone: str) -> str:
    """An announcement, exactly as subscribers get it (and as the admin previews it)."""
    draft = event.draft
    lines = [
        f"{KIND_ICONS.get(draft.kind, '📅')} <b>{escape(draft.title)}</b>",
        shared_texts.label(EVENT_KINDS, draft.kind),
        _("🗓 {when}").format(when=when(draft, zone)),
    ]
    where = _where(draft)
    if where:
        lines.append(where)
    lines += ["", escape(draft.description)]
    if draft.topics or draft.focus:
        lines.append("")
    if draft.topics:
        lines.append(
            _("Topics: {topics}").format(topics=shared_texts.choice_labels(draft.topics, "topics"))
        )
    if draft.focus:
        lines.append(
            _("For: {areas}").format(areas=shared_texts.choice_labels(draft.focus, "focus"))
        )
    if draft.registration_url:
        lines.append(_("Registration: {url}").format(url=escape(draft.registration_url)))
    if draft.places:
        lines.append(plural("👥 {n} place", "👥 {n} places", draft.places))
    if draft.deadline:
        lines.append(_("Applications until {date}").format(date=local_moment(draft.deadline, zone)))
    if event.host:
        lines += ["", hosted_by(event.host)]
    return "\n".join(lines)


def hosted_by(name: str) -> str:
    """Under an event an organisation posted: who hosts it."""
    return _("🏢 Hosted by {name}").format(name=escape(shared_texts.quoted(name)))


def reminder(kind: str, event: EventInfo, zone: str) -> str:
    """A reminder to someone who said they would attend."""
    title = escape(event.draft.title)
    if kind == "day":
        head = _("⏰ Tomorrow: <b>{title}</b>").format(title=title)
    elif kind == "hour":
        head = _("⏰ In an hour: <b>{title}</b>").format(title=title)
    else:
        head = _("⏰ Three days left to apply: <b>{title}</b>").format(title=title)
    return head + "\n\n" + card(event, zone)


def changed_notice(event: EventInfo, zone: str) -> str:
    """To everyone who said they would attend, after the time or place changed."""
    if event.draft.kind == "internship" and event.host_id is not None:  # its participants
        head = _(
            "✏️ <b>{title}</b> has changed. This is how it is now; you are still taking part."
        ).format(title=escape(event.draft.title))
        return head + "\n\n" + card(event, zone)
    head = _(
        "✏️ <b>{title}</b> has changed. This is how it is now; press “I'll attend” again "
        "for an updated calendar file."
    ).format(title=escape(event.draft.title))
    return head + "\n\n" + card(event, zone)


def cancelled_notice(event: EventInfo, zone: str) -> str:
    """To everyone who said they would attend."""
    return _("🚫 <b>{title}</b> ({when}) is cancelled. We are sorry.").format(
        title=escape(event.draft.title), when=when(event.draft, zone)
    )


def going(event: EventInfo) -> str:
    """After "I'll attend"."""
    text = _(
        "✅ You are on the list for <b>{title}</b>. The calendar file is below; we will "
        "remind you a day and an hour before."
    ).format(title=escape(event.draft.title))
    if event.draft.kind == "internship" and event.draft.deadline:
        text += "\n" + _("We will also remind you three days before applications close.")
    return text


def not_going(event: EventInfo) -> str:
    """After "Not going"."""
    return _("Noted: you will not attend <b>{title}</b>. No reminders will come.").format(
        title=escape(event.draft.title)
    )


def rsvp_refused(answer: str) -> str:
    """RSVP on an event that is cancelled, started or gone."""
    if answer == "cancelled":
        return _("This event was cancelled.")
    if answer == "started":
        return _("This event has already started.")
    if answer == "apply":
        return _("This internship takes applications: press “📝 Apply” to send yours.")
    return _("This event is no longer available.")


def taking_part() -> str:
    """On an internship's card, for one whose application its host accepted."""
    return _("✅ You are taking part.")


def accepted(event: EventInfo) -> str:
    """With the calendar file, to the applicant whose application the host accepted."""
    return _(
        "✅ Your application to <b>{title}</b> was accepted: you are taking part. The "
        "calendar file is below; we will remind you a day and an hour before it starts."
    ).format(title=escape(event.draft.title))


def upcoming(events: list[EventInfo], page: int, zone: str, going: frozenset[int]) -> str:
    """/events: a page of upcoming events."""
    if not events:
        return _("No upcoming events yet. Announcements come as soon as they are published.")
    lines = [_("📅 <b>Upcoming events</b> (page {page}, times in {zone})").format(
        page=number(page + 1), zone=zone
    )]  # fmt: skip
    for index, event in enumerate(events, start=1):
        mark = " ✅" if event.id in going else ""
        lines.append(
            f"\n{index}. {KIND_ICONS.get(event.draft.kind, '📅')} "
            f"<b>{escape(event.draft.title)}</b>{mark}\n"
            f"{local_moment(event.draft.starts_at, zone)}"
        )
    return "\n".join(lines)


# The question of each step of /event_new (the steps are in wizard_steps.py).
PROMPTS: Final = {
    "kind": N_("What kind of event is it?"),
    "title": N_("The title, as people will see it (up to {limit} characters)."),
    "description": N_(
        "A description: what, for whom, what participants take away (up to {limit} characters)."
    ),
    "start": N_(
        "When does it start? Your time zone is {zone}. "
        "For example: 14.12.2026 15:00 or 2026-12-14 15:00"
    ),
    "end": N_("When does it end? (same format, time zone {zone})"),
    "place": N_(
        "The online link (https://…) or the place (address, city), up to {limit} characters."
    ),
    "topics": N_(
        "Which topics is it about? Subscribers who want to learn them get it. "
        "None ticked: everyone."
    ),
    "focus": N_(
        "For organisations in which focus areas? They get it even if the topics are not "
        "theirs. None ticked: any."
    ),
    "countries": N_("For which countries? None ticked: all."),
    "languages": N_("For users of which languages? None ticked: all."),
    "registration": N_("The registration link (https://…)."),
    "deadline": N_("The application deadline (date and time, time zone {zone})."),
}


def step_prompt(step: str, number_: int, total: int, zone: str, head: str | None = None) -> str:
    """A question of /event_new with its progress (`head`: another wizard's, with it)."""
    limits = {"title": TITLE_MAX, "description": DESCRIPTION_MAX, "place": PLACE_MAX}
    if head is None:
        head = _("📅 <b>New event</b> · step {step} of {total}").format(step=number_, total=total)
    question = _(PROMPTS[step]).format(limit=number(limits.get(step, 0)), zone=zone)
    return head + "\n\n" + question


def taken(moment: datetime, zone: str) -> str:
    """A typed date shown back, before the next question."""
    return _("✓ {value}").format(value=f"{local_moment(moment, zone)} ({zone})")


def problem(error: EventError) -> str:
    """Why an answer was not taken (the same question follows)."""
    messages = {
        EventProblem.FORMAT: _(
            "Please write the date and time like 14.12.2026 15:00 or 2026-12-14 15:00."
        ),
        EventProblem.IMPOSSIBLE: _(
            "There is no such date or time. Please check the day, the month and the hour."
        ),
        EventProblem.PAST: _("That moment has already passed. Please give a future date."),
        EventProblem.TOO_FAR: _("That is more than three years ahead. Please check the year."),
        EventProblem.BEFORE_START: _("The end must be after the start."),
        EventProblem.AFTER_START: _("Applications must close before the event starts."),
        EventProblem.LATE_PUBLICATION: _("It must be published before it starts."),
        EventProblem.EMPTY: _("Please write something (or use the buttons)."),
        EventProblem.NOT_URL: _("This does not look like a link. Please send one starting with https://"),
    }  # fmt: skip
    if error.problem is EventProblem.TOO_LONG:
        return _("That is too long: at most {limit} characters, and you sent {length}.").format(
            limit=number(error.limit), length=number(error.length)
        )
    return messages[error.problem]


def text_expected() -> str:
    """A sticker, photo… where text is expected."""
    return _("Please answer with text.")


def preview_head() -> str:
    """Above the preview."""
    return _("👀 <b>Preview</b>: this is exactly what subscribers will get.")


def publish_at_prompt(zone: str) -> str:
    """Asking when to publish."""
    return _("When should it be published? Date and time in {zone}, e.g. 10.12.2026 10:00").format(
        zone=zone
    )


def published(result: Published) -> str:
    """After Publish now: who gets it, who in the morning, who not at all."""
    lines = [
        plural(
            "📣 Published. It goes to {n} subscriber.",
            "📣 Published. It goes to {n} subscribers.",
            result.queued,
        )
    ]
    if result.in_the_morning:
        lines.append(
            plural(
                "🌙 {n} of them gets it in the morning: it is night in their time zone.",
                "🌙 {n} of them get it in the morning: it is night in their time zones.",
                result.in_the_morning,
            )
        )
    if result.too_late:
        lines.append(
            plural(
                "{n} subscriber will not get it: their morning comes after the event starts.",
                "{n} subscribers will not get it: their morning comes after the event starts.",
                result.too_late,
            )
        )
    return "\n".join(lines)


def scheduled(moment: datetime, zone: str) -> str:
    """After Publish at a date."""
    return _("🕒 It will be published on {when}.").format(when=local_moment(moment, zone))


def saved_draft() -> str:
    """After Save as draft."""
    return _("💾 Saved as a draft. Publish it from /events_admin.")


def saved_changes() -> str:
    """After saving an edited event."""
    return _("💾 Changes saved. Reminders follow the new time.")


def not_publishable() -> str:
    """Publishing something that is not a draft, or has started."""
    return _("This event cannot be published: it was already published, cancelled, or has started.")


def wizard_stopped() -> str:
    """The admin left /event_new."""
    return _("The event was not saved.")


def admin_list(events: list[EventInfo], zone: str) -> str:
    """/events_admin."""
    if not events:
        return _("No drafts, scheduled or upcoming events. Create one with /event_new.")
    lines = [_("🗂 <b>Events</b> (times in {zone})").format(zone=zone)]
    for event in events:
        lines.append(
            "\n"
            + _("<b>#{id}</b> {title} · {status}").format(
                id=event.id,
                title=escape(event.draft.title),
                status=status_label(event.status),
            )
            + "\n"
            + local_moment(event.draft.starts_at, zone)
            + "\n"
            + _("Announced to {announced} · attending {attending}").format(
                announced=number(event.announced), attending=number(event.attending)
            )
        )
    return "\n".join(lines)


def event_cancelled(told: int) -> str:
    """After Cancel in /events_admin."""
    return plural(
        "🚫 Cancelled. {n} person who said they would attend will be told.",
        "🚫 Cancelled. {n} people who said they would attend will be told.",
        told,
    )


def number_of(event_id: int) -> str:
    """How an event's number is written ("#7", in Russian "№7")."""
    return _("#{id}").format(id=event_id)


def confirm_cancel(title: str, attending: int) -> str:
    """🚫 pressed in /events_admin: asked before anything happens."""
    return plural(
        "Cancel {title}? {n} person who said they would attend will be told.",
        "Cancel {title}? {n} people who said they would attend will be told.",
        attending,
        title=escape(shared_texts.quoted(title)),
    )


def kept(event_id: int) -> str:
    """« Keep it after 🚫."""
    return _("Event {number} stays as it was.").format(number=number_of(event_id))


def already_cancelled() -> str:
    """Cancel or Edit on a cancelled event."""
    return _("This event is already cancelled.")


def unsubscribed() -> str:
    """/unsubscribe."""
    return _(
        "🔕 You will get no more event announcements. Reminders for events you said you "
        "would attend still come. Turn announcements back on in /settings."
    )
