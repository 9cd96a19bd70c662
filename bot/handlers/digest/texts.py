"""The weekly digest's message and buttons."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup

from bot import shared_texts
from bot.handlers.digest.weekly import Digest
from bot.handlers.directory.callbacks import SearchAction, SearchPress
from bot.handlers.events import texts as events_texts
from bot.handlers.find.callbacks import FindAction, FindPress
from bot.i18n import _
from bot.navigation import MenuAction, MenuPress
from bot.screens import callback_button
from bot.taxonomy import COUNTRIES


def digest(found: Digest) -> str:
    """The week's new events for the user and new organisations that fit them."""
    zone = found.recipient.zone
    parts = [_("📰 <b>Your week in NGO Bridge</b>")]
    if found.events:
        lines = [
            f"• {events_texts.kind_label(event.draft.kind)}: <b>{escape(event.draft.title)}</b>, "
            f"{events_texts.when(event.draft, zone)}"
            for event in found.events
        ]
        parts.append(_("New events for you (details: /events):") + "\n" + "\n".join(lines))
    if found.calls:
        lines = [
            "• "
            + _("🤝 <b>{title}</b>, {host}, answers until {date}").format(
                title=escape(call.draft.title),
                host=escape(shared_texts.quoted(call.host)),
                date=shared_texts.end_of_day(call.draft.deadline, call.zone),
            )
            for call in found.calls
        ]
        parts.append(_("New partner calls for you:") + "\n" + "\n".join(lines))
    if found.partners:
        lines = [
            f"• <b>{escape(card.name)}</b>, {shared_texts.label(COUNTRIES, card.country)}"
            for card in found.partners
        ]
        parts.append(_("New organisations that fit yours:") + "\n" + "\n".join(lines))
    parts.append(_("The digest comes on Mondays; turn it off in /settings."))
    return "\n\n".join(parts)


def keyboard(found: Digest) -> InlineKeyboardMarkup:
    """A button for each new partner call and each new organisation's card, and the
    settings."""
    rows = [
        [
            callback_button(
                f"🤝 {call.draft.title[:40]}",
                FindPress(action=FindAction.OPEN, item=call.id, post="call"),
            )
        ]
        for call in found.calls
    ]
    rows += [
        [
            callback_button(
                f"🏢 {card.name[:40]}", SearchPress(action=SearchAction.CARD, org=card.id)
            )
        ]
        for card in found.partners
    ]
    rows.append(
        [callback_button(shared_texts.button("settings"), MenuPress(action=MenuAction.SETTINGS))]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)
