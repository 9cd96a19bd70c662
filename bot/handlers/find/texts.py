"""Sentences of calls and offers: the list, its filters, the card of one post, the channel."""

from __future__ import annotations

from html import escape
from typing import Final

from bot import shared_texts
from bot.handlers.events import texts as events_texts
from bot.handlers.find.offers import CALL, Filters, Offer, OfferPage
from bot.i18n import _, number
from bot.taxonomy import COUNTRIES, N_, TOPICS

FILTER_NAMES: Final = {
    "kind": N_("🗂 Kind"),
    "topic": N_("🧭 Topic"),
    "country": N_("🌍 Country"),
}


def filter_name(name: str) -> str:
    return _(FILTER_NAMES[name])


def kind_label(code: str) -> str:
    """A kind of post with its icon: a partner call, or an event kind."""
    if code == CALL:
        return _("🤝 Partner calls")
    return events_texts.kind_label(code)


def value_label(name: str, code: str) -> str:
    """A filter's chosen value ("" : any)."""
    if not code:
        return _("any")
    if name == "kind":
        return kind_label(code)
    return shared_texts.label(TOPICS if name == "topic" else COUNTRIES, code)


def _line(index: int, offer: Offer) -> str:
    icon = "🤝" if offer.kind == CALL else events_texts.KIND_ICONS.get(offer.kind, "📅")
    line = _("{number}. {icon} <b>{title}</b>, {host}").format(
        number=index,
        icon=icon,
        title=escape(offer.title),
        host=escape(shared_texts.quoted(offer.host)),
    )
    if offer.mine:
        line += " " + _("(your organisation's)")
    return line


def listing(page: OfferPage, filters: Filters, size: int) -> str:
    """A page of open posts, the filters on top."""
    parts = [_("📣 <b>Calls and offers</b>: open now")]
    chosen = [
        f"{filter_name(name)}: {value_label(name, getattr(filters, name))}"
        for name in FILTER_NAMES
        if getattr(filters, name)
    ]
    if chosen:
        parts.append(" · ".join(chosen))
    if not page.offers:
        parts.append(_("Nothing open matches these filters for now."))
        return "\n\n".join(parts)
    first = page.number * size + 1
    lines = [_line(first + i, offer) for i, offer in enumerate(page.offers)]
    parts.append("\n".join(lines))
    parts.append(_("Found: {count}. Press a number to open it.").format(count=number(page.total)))
    return "\n\n".join(parts)


def choose(name: str) -> str:
    return _("{filter}: choose one.").format(filter=filter_name(name))


def yours() -> str:
    """Under the card of the reader's own organisation's post."""
    return _("This is your organisation's post: others answer it.")


def gone() -> str:
    """A link or button to a post that is closed or does not exist."""
    return _("This call or offer is closed or no longer exists.")


def open_in_bot() -> str:
    """The button under a channel post."""
    return _("Open in the bot")


def closed_head() -> str:
    """Put on top of a channel post once the post is closed or cancelled."""
    return _("🚫 <b>Closed</b>: no longer open.")


def channel_refused(channel: str) -> str:
    """To the admins, once, when the channel refuses the bot's posts."""
    return _(
        "⚠️ The channel {channel} refuses the bot's posts (is the bot its administrator?). "
        "Calls and offers will be posted there once it accepts them."
    ).format(channel=escape(channel))
