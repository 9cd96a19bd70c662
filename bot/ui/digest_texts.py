"""The weekly digest's message and buttons."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import _
from bot.services.digest import Digest
from bot.taxonomy import COUNTRIES
from bot.ui import event_texts as et
from bot.ui import texts
from bot.ui.callbacks import MenuAction, MenuPress, SearchAction, SearchPress
from bot.ui.keyboards import callback_button


def digest(found: Digest) -> str:
    """The week's new events for the user and new organisations that fit them."""
    zone = found.recipient.zone
    parts = [_("📰 <b>Your week in NGO Bridge</b>")]
    if found.events:
        lines = [
            f"• {et.kind_label(event.draft.kind)}: <b>{escape(event.draft.title)}</b>, "
            f"{et.when(event.draft, zone)}"
            for event in found.events
        ]
        parts.append(_("New events for you (details: /events):") + "\n" + "\n".join(lines))
    if found.partners:
        lines = [
            f"• <b>{escape(card.name)}</b>, {texts.label(COUNTRIES, card.country)}"
            for card in found.partners
        ]
        parts.append(_("New organisations that fit yours:") + "\n" + "\n".join(lines))
    parts.append(_("The digest comes on Mondays; turn it off in /settings."))
    return "\n\n".join(parts)


def keyboard(found: Digest) -> InlineKeyboardMarkup:
    """A button for each new organisation's card, and the settings."""
    rows = [
        [
            callback_button(
                f"🏢 {card.name[:40]}", SearchPress(action=SearchAction.CARD, org=card.id)
            )
        ]
        for card in found.partners
    ]
    rows.append([callback_button(texts.button("settings"), MenuPress(action=MenuAction.SETTINGS))])
    return InlineKeyboardMarkup(inline_keyboard=rows)
