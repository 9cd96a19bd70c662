"""What the meetings feature says, in the reader's language; times in the reader's zone
(and the other side's), through Babel."""

from __future__ import annotations

from datetime import date, datetime, time
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_location

from bot.handlers.directory import texts as directory_texts
from bot.handlers.meetings.proposals import Call, MeetingRefusal, Pair, Person, Side
from bot.handlers.meetings.slots import MAX_SLOTS, Slot, SlotProblem, outside_hours
from bot.i18n import _, current_locale, plural
from bot.shared_texts import quoted
from bot.taxonomy import WORK_LANGUAGES


def refusal(reason: MeetingRefusal, by: str | None = None) -> str:
    """Why a press on a call could not be taken (`by`: who answered first)."""
    name = escape((by or "")[:64])
    match reason:
        case MeetingRefusal.NOT_YOURS:
            return _("This call is between two other organisations.")
        case MeetingRefusal.BANNED:
            return directory_texts.banned()
        case MeetingRefusal.GONE:
            return directory_texts.card_gone()
        case MeetingRefusal.TOO_MANY:
            return _(
                "Three proposals between your organisations are already waiting for an "
                "answer. Wait for one of them first."
            )
        case MeetingRefusal.BAD_SLOTS:
            return _("One of the times is now less than an hour away. Please choose again.")
        case MeetingRefusal.PICKED if by:
            return _("{name} has already picked a time for this call.").format(name=name)
        case MeetingRefusal.PICKED:
            return _("A time has already been picked for this call.")
        case MeetingRefusal.DECLINED:
            return _("This proposal has already been answered: not now.")
        case MeetingRefusal.SWAPPED:
            return _("This proposal has already been answered: other times will be proposed.")
        case MeetingRefusal.CANCELLED:
            return _("This call has been cancelled.")
        case MeetingRefusal.OVER:
            return _("This call has already begun.")
        case MeetingRefusal.SLOT_PASSED:
            return _("This time has already passed. Press “None of these fits” to propose others.")
    raise AssertionError(reason)


def city(zone: str) -> str:
    """A zone's city ("Yerevan"), in the current language."""
    try:
        return str(get_timezone_location(zone, locale=current_locale(), return_city=True))
    except (LookupError, ValueError):
        return zone


def day_label(day: date) -> str:
    """A day button: "Tue 8 Dec"."""
    return format_date(day, "EEE d MMM", locale=current_locale())


def time_label(value: time) -> str:
    """A time button: "15:30"."""
    return format_time(value, "HH:mm", locale=current_locale())


def length_label(minutes: int) -> str:
    """A length button: "45 min"."""
    return plural("{n} minute", "{n} minutes", minutes)


def _clock(moment: datetime, zone: str) -> str:
    return format_time(moment.astimezone(ZoneInfo(zone)), "HH:mm", locale=current_locale())


def _day(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return format_date(local, "EEEE, d MMMM", locale=current_locale())


def slot_line(slot: Slot, mine: str, theirs: str) -> str:
    """A slot in the reader's zone and the other side's: "Tuesday, 8 December: 15:00 in
    Yerevan · 16:00 in Almaty, 45 minutes", and a warning when it falls outside 09:00–20:00
    for the other side."""
    here = _("{time} in {city}").format(time=_clock(slot.starts_at, mine), city=city(mine))
    line = f"{_day(slot.starts_at, mine)}: {here}"
    if theirs != mine:
        there = _("{time} in {city}").format(time=_clock(slot.starts_at, theirs), city=city(theirs))
        line += f" · {there}"
    line += f", {length_label(slot.minutes)}"
    if outside_hours(slot, theirs):
        line += "\n   " + _("⚠️ Outside 09:00–20:00 in {city}").format(city=city(theirs))
    return line


def slot_button(number: int, slot: Slot, zone: str) -> str:
    """A slot to pick: "1. Tue 8 Dec, 16:00"."""
    local = slot.starts_at.astimezone(ZoneInfo(zone))
    return f"{number}. {day_label(local.date())}, {_clock(slot.starts_at, zone)}"


def _languages(side: Side) -> str:
    codes = side.languages
    names = ", ".join(_(WORK_LANGUAGES.labels[c]) for c in codes if c in WORK_LANGUAGES.labels)
    return f"{escape(side.name)}: {names or '—'}"


def languages(pair_sides: tuple[Side, Side]) -> str:
    """Both organisations' working languages."""
    first, second = pair_sides
    return "🗣 " + _("Working languages") + ": " + _languages(first) + "; " + _languages(second)


def wizard_head(pair: Pair, number: int, step: int, *, moving: bool) -> str:
    """The wizard's first lines: with whom, which slot, which step."""
    name = escape(quoted(pair.theirs.name))
    if moving:
        head = _("🔁 <b>Move the call with {name}</b>").format(name=name)
        progress = _("Step {step} of 3").format(step=step)
    else:
        head = _("📅 <b>A call with {name}</b>").format(name=name)
        progress = _("Time {number} of up to {most} · step {step} of 3").format(
            number=number, most=MAX_SLOTS, step=step
        )
    return f"{head}\n{progress}"


def chosen(slots: list[Slot], pair: Pair, zone: str) -> str:
    """The slots chosen so far ("" if none)."""
    return "\n".join(
        f"{n}. {slot_line(slot, zone, pair.theirs.zone)}" for n, slot in enumerate(slots, 1)
    )


def ask_day(zone: str) -> str:
    """Step 1."""
    return _("Which day? Times are in your zone ({city}).").format(city=city(zone))


def ask_time(day: date) -> str:
    """Step 2."""
    return _("What time on {day}? Press one, or type it, e.g. 15:30.").format(
        day=format_date(day, "EEEE, d MMMM", locale=current_locale())
    )


def ask_length() -> str:
    """Step 3."""
    return _("How long?")


def review(pair: Pair, slots: list[Slot], zone: str) -> str:
    """Before sending: the slots in both zones, both sides' working languages."""
    return (
        _("Your proposal to {name}:").format(name=escape(quoted(pair.theirs.name)))
        + "\n\n"
        + chosen(slots, pair, zone)
        + "\n\n"
        + languages((pair.mine, pair.theirs))
    )


def problem(found: SlotProblem) -> str:
    """A time or day that cannot be proposed: the same step is asked again."""
    match found:
        case SlotProblem.NOT_A_TIME:
            return _("⚠️ That is not a time. Type hours and minutes, e.g. 15:30, or press a button.")
        case SlotProblem.PAST_DAY:
            return _("⚠️ That day has already passed. Please pick another one.")
        case SlotProblem.TOO_SOON:
            return _("⚠️ That is less than an hour from now. Please pick a later time.")
        case SlotProblem.TOO_FAR:
            return _("⚠️ A call can be proposed at most 30 days ahead.")
    raise AssertionError(found)


def need_buttons() -> str:
    """Typed words where a button is expected."""
    return _("⚠️ Please use the buttons under the question.")


def quit_done(*, moving: bool = False) -> str:
    """The wizard left before sending (or before moving the call)."""
    if moving:
        return _("The call stays as it was.")
    return _("Nothing was sent.")


def proposal(proposer: Person, side: Side, slots: tuple[Slot, ...], other: Side, zone: str) -> str:
    """To each member of the invited organisation, in their zone."""
    head = _("📅 {person} from {name} proposes a video call. Which time suits you?").format(
        person=escape(proposer.first_name[:64]), name=escape(quoted(side.name))
    )
    lines = "\n".join(
        f"{n}. {slot_line(slot, zone, proposer.zone)}" for n, slot in enumerate(slots, 1)
    )
    return f"{head}\n\n{lines}\n\n{languages((side, other))}"


def proposal_head(proposer: Person, side: Side) -> str:
    """A proposal's first line, kept on its copies once answered."""
    return _("📅 {person} from {name} proposed a video call.").format(
        person=escape(proposer.first_name[:64]), name=escape(quoted(side.name))
    )


def sent(name: str) -> str:
    """To the proposer."""
    return _("📨 Your proposal has been sent to {name}. We will tell you what they pick.").format(
        name=escape(quoted(name))
    )


def picked_by(call: Call, reader_zone: str) -> str:
    """Another member's copy, once someone picked."""
    assert call.slot is not None and call.picker is not None
    return (
        proposal_head(call.proposer, call.proposing)
        + "\n\n"
        + _("✅ {name} picked: {slot}").format(
            name=escape(call.picker.first_name[:64]),
            slot=slot_line(call.slot, reader_zone, call.proposer.zone),
        )
    )


def declined_by(call: Call, name: str, *, swap: bool) -> str:
    """Another member's copy, once someone answered "not now" or "none of these fits"."""
    if swap:
        outcome = _("🔄 {name} will propose other times.").format(name=escape(name[:64]))
    else:
        outcome = _("✖️ {name} answered: not now.").format(name=escape(name[:64]))
    return proposal_head(call.proposer, call.proposing) + "\n\n" + outcome


def declined_for_proposer(name: str) -> str:
    """The proposer learns of "not now", politely."""
    return _(
        "{name} cannot take up a call at the moment. Thank you for proposing: you can try "
        "again later from 📨 Contact requests."
    ).format(name=escape(quoted(name)))


def swapped_for_proposer(name: str, person: str) -> str:
    """The proposer learns that none of the times fits."""
    return _("🔄 None of your times suits {name}: {person} will propose others.").format(
        name=escape(quoted(name)), person=escape(person[:64])
    )


def agreed(call: Call, reader: int, zone: str) -> str:
    """The confirmation, to the proposer and to the one who picked."""
    assert call.slot is not None
    theirs = call.side_of(reader)[1]
    return (
        _("✅ <b>Call agreed with {name}</b>").format(name=escape(quoted(theirs.name)))
        + "\n🕒 "
        + slot_line(call.slot, zone, theirs.zone)
        + "\n🎥 "
        + escape(call.link)
        + "\n\n"
        + _("The calendar file is below. We will remind you 15 minutes before.")
    )


def moved(call: Call, by: str, reader: int, zone: str) -> str:
    """A move, to both people."""
    assert call.slot is not None
    theirs = call.side_of(reader)[1]
    return (
        _("🔁 {person} moved the call with {name}.").format(
            person=escape(by[:64]), name=escape(quoted(theirs.name))
        )
        + "\n🕒 "
        + slot_line(call.slot, zone, theirs.zone)
        + "\n🎥 "
        + escape(call.link)
        + "\n\n"
        + _("The updated calendar file is below.")
    )


def cancelled(call: Call, by: str, reader: int, zone: str) -> str:
    """A cancellation, to both people."""
    assert call.slot is not None
    theirs = call.side_of(reader)[1]
    return (
        _("✖️ {person} cancelled the call with {name}:").format(
            person=escape(by[:64]), name=escape(quoted(theirs.name))
        )
        + "\n🕒 "
        + slot_line(call.slot, zone, theirs.zone)
        + "\n\n"
        + _("The calendar file below removes it from your calendar.")
    )


def ask_cancel() -> str:
    """Before a cancellation."""
    return _("Cancel this call? The other side will be told at once.")


def reminder(partner: str, slot: Slot, zone: str, link: str) -> str:
    """15 minutes before."""
    return (
        _("⏰ In 15 minutes: your call with {name}, at {time}.").format(
            name=escape(quoted(partner)), time=_clock(slot.starts_at, zone)
        )
        + "\n🎥 "
        + escape(link)
    )


def button(key: str) -> str:
    """A button's label."""
    match key:
        case "more":
            return _("➕ Add another time")
        case "send":
            return _("📨 Send the proposal")
        case "quit":
            return _("✖️ Cancel")
        case "none":
            return _("🔄 None of these fits")
        case "later":
            return _("🕊 Not now")
        case "move":
            return _("🔁 Move")
        case "cancel":
            return _("✖️ Cancel the call")
        case "confirm":
            return _("✖️ Yes, cancel it")
    raise KeyError(key)
