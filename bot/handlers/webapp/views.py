"""What the API answers, as JSON: cards never carry contacts, only what the chat's cards
show; labels are in the caller's language."""

from __future__ import annotations

from typing import Any, Final

from bot.handlers.directory import search
from bot.handlers.directory import texts as directory_texts
from bot.handlers.events import keyboards as events_keyboards
from bot.handlers.events import texts as events_texts
from bot.handlers.events.drafts import EventInfo
from bot.handlers.find import offers
from bot.handlers.find import texts as find_texts
from bot.handlers.find.offers import Offer
from bot.handlers.posts import answer_texts
from bot.shared_texts import label
from bot.taxonomy import COUNTRIES, FOCUS_AREAS, FORMATS, TOPICS, WORK_LANGUAGES, Vocabulary

DESCRIPTION_PREVIEW: Final = 140
VOCABULARIES: Final = directory_texts.FILTER_VOCABULARIES


def vocabularies() -> dict[str, list[list[str]]]:
    """Each filter's options as [code, label] pairs, in the chat's order (and the kinds
    of calls and offers, for their tab)."""
    return {
        **{
            name: [[code, label(vocabulary, code)] for code in vocabulary.codes]
            for name, vocabulary in VOCABULARIES.items()
        },
        "kind": offer_kinds(),
    }


def _labels(vocabulary: Vocabulary, codes: tuple[str, ...]) -> list[str]:
    return [label(vocabulary, code) for code in codes if code in vocabulary]


def _place(card: search.Card) -> str:
    parts = [label(COUNTRIES, card.country)] if card.country in COUNTRIES else []
    if card.city:
        parts.append(card.city)
    return ", ".join(parts)


def _badge(card: search.Card) -> str:
    return directory_texts.badge(card).strip()


def compact(card: search.Card) -> dict[str, Any]:
    """A card of the list: name, badge, place, what they share and want."""
    description = card.description or ""
    if len(description) > DESCRIPTION_PREVIEW:
        description = description[:DESCRIPTION_PREVIEW].rstrip() + "…"
    return {
        "id": card.id,
        "name": card.name,
        "badge": _badge(card),
        "place": _place(card),
        "share": _labels(TOPICS, card.can_share),
        "want": _labels(TOPICS, card.want_learn),
        "description": description,
    }


def full(card: search.Card, *, own: bool) -> dict[str, Any]:
    """An opened card: everything the chat's card shows, never the contacts."""
    return {
        **compact(card),
        "description": card.description or "",
        "focus": _labels(FOCUS_AREAS, card.focus_areas),
        "formats": _labels(FORMATS, card.formats),
        "languages": _labels(WORK_LANGUAGES, card.languages),
        "own": own,
    }


def page(found: search.Page) -> dict[str, Any]:
    """A page of the list and whether another follows (past the end: nothing, where the
    chat, whose buttons can be old, shows the first page again)."""
    if found.moved:
        return {"items": [], "page": found.number, "has_next": False}
    return {
        "items": [compact(card) for card in found.cards],
        "page": found.number,
        "has_next": found.has_next,
    }


def event(info: EventInfo, zone: str, bot_username: str, *, going: bool) -> dict[str, Any]:
    """An upcoming event in the caller's zone. An internship an organisation hosts
    `applies`: no "I'll attend", but 📝 Apply opening it in the bot (`link`), or, `going`,
    "You are taking part" (its host accepted the caller's application)."""
    draft = info.draft
    applies = events_keyboards.takes_applications(info)
    return {
        "id": info.id,
        "kind": events_texts.kind_label(draft.kind),
        "title": draft.title,
        "when": events_texts.when(draft, zone),
        "where": draft.place or draft.link or "",
        "description": draft.description,
        "going": going,
        "applies": applies,
        "link": f"https://t.me/{bot_username}?start=event_{info.id}" if applies else "",
    }


def offer_kinds() -> list[list[str]]:
    """The kinds of calls and offers as [code, label] pairs (partner calls first)."""
    return [[code, find_texts.kind_label(code)] for code in offers.KINDS]


def offer(item: Offer, bot_username: str, *, declined: bool = False) -> dict[str, Any]:
    """An open call or offer, and the link that opens it in the bot; a call or an
    internship not the caller's own is `answerable` on the page, with the chat's `action`
    label (the kind it is answered as is `post`: "call", or "event" for an internship),
    unless its host `declined` the caller's organisation's answer."""
    answerable = not item.mine and not declined and (item.is_call or item.kind == "internship")
    return {
        "answerable": answerable,
        "action": answer_texts.action(item.kind) if answerable else "",
        "id": item.id,
        "post": "call" if item.is_call else "event",
        "kind": find_texts.kind_label(item.kind),
        "title": item.title,
        "host": item.host,
        "mine": item.mine,
        "topics": _labels(TOPICS, item.topics),
        "countries": _labels(COUNTRIES, item.countries),
        "link": f"https://t.me/{bot_username}?start={item.link_payload}",
    }
