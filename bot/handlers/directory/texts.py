"""Sentences and cards of partner search, introductions and follow-ups."""

from __future__ import annotations

from html import escape
from typing import Final

from bot.handlers.directory.search import (
    PAGE_SIZE,
    TEXT_MAX,
    TEXT_MIN,
    Card,
    Filters,
    Page,
    TextProblem,
)
from bot.i18n import _, number, plural
from bot.shared_texts import label, quoted
from bot.taxonomy import COUNTRIES, FOCUS_AREAS, FORMATS, N_, TOPICS, WORK_LANGUAGES, Vocabulary

FILTER_NAMES: Final[dict[str, str]] = {
    "topic": N_("They can teach"),
    "focus": N_("Focus area"),
    "country": N_("Country"),
    "format": N_("Format"),
    "verified_only": N_("Verified only"),
    "text": N_("Words"),
}


FILTER_ICONS: Final[dict[str, str]] = {
    "topic": "📚",
    "focus": "🎯",
    "country": "📍",
    "format": "💬",
    "verified_only": "🛡",
    "text": "🔤",
}


FILTER_VOCABULARIES: Final[dict[str, Vocabulary]] = {
    "topic": TOPICS,
    "focus": FOCUS_AREAS,
    "country": COUNTRIES,
    "format": FORMATS,
}


DESCRIPTION_PREVIEW: Final = 160


def filter_name(name: str) -> str:
    """The translated name of a filter."""
    return _(FILTER_NAMES[name])


def filter_value(filters: Filters, name: str) -> str:
    """A filter's current value for display."""
    value = getattr(filters, name)
    if not value:
        return _("any")
    if name == "verified_only":
        return _("yes")
    if name == "text":
        return "«" + escape(value) + "»"
    return label(FILTER_VOCABULARIES[name], value)


def filters_screen(filters: Filters) -> str:
    """The search screen: what is set, and how to go on."""
    lines = [_("🔎 <b>Find partners</b>"), ""]
    lines.append(_("Choose filters, then press « Show results ». Filters combine."))
    lines.append("")
    for name in FILTER_NAMES:
        lines.append(f"{FILTER_ICONS[name]} {filter_name(name)}: {filter_value(filters, name)}")
    return "\n".join(lines)


def choose_filter(name: str) -> str:
    """Above the options of one filter."""
    prompts = {
        "topic": _("What would you like to learn? Organisations that can share it will be shown."),
        "focus": _("Which focus area?"),
        "country": _("Organisations from which country?"),
        "format": _("Which cooperation format?"),
    }
    return prompts[name]


def ask_text() -> str:
    """Prompt for free-text search."""
    return plural(
        "🔤 Send words to look for in names, cities and descriptions (in any language, up to "
        "{n} character). The beginning of a word is enough: « fund » finds « fundraising ».",
        "🔤 Send words to look for in names, cities and descriptions (in any language, up to "
        "{n} characters). The beginning of a word is enough: « fund » finds « fundraising ».",
        TEXT_MAX,
    )


def text_problem(problem: TextProblem, length: int) -> str:
    """Why the words cannot be searched."""
    if problem is TextProblem.TOO_LONG:
        return plural(
            "⚠️ That is too long: at most {n} character, and you sent {length}. "
            "Send a few key words.",
            "⚠️ That is too long: at most {n} characters, and you sent {length}. "
            "Send a few key words.",
            TEXT_MAX,
            length=number(length),
        )
    return plural(
        "⚠️ Please send a word of at least {n} letter or digit.",
        "⚠️ Please send a word of at least {n} letters or digits.",
        TEXT_MIN,
    )


def need_text() -> str:
    """A photo or sticker where words were expected."""
    return _("⚠️ Please send the words as text, or press « Back ».")


def _place(card: Card) -> str:
    parts = [label(COUNTRIES, card.country)] if card.country in COUNTRIES else []
    if card.city:
        parts.append(escape(card.city))
    return ", ".join(parts)


def badge(card: Card) -> str:
    """The trust badge with its year, or nothing."""
    if card.badge_year is None:
        return ""
    return " " + _("🛡 verified {year}").format(year=card.badge_year)


def _labels(vocabulary: Vocabulary, codes: tuple[str, ...]) -> str:
    return ", ".join(label(vocabulary, code) for code in codes) or "—"


def card(card: Card) -> str:
    """An organisation's card as others see it: no contacts."""
    lines = [f"🏢 <b>{escape(card.name)}</b>{badge(card)}", f"📍 {_place(card)}", ""]
    lines.append("🎯 <b>" + _("Focus areas") + ":</b> " + _labels(FOCUS_AREAS, card.focus_areas))
    lines.append("🤝 <b>" + _("Can share") + ":</b> " + _labels(TOPICS, card.can_share))
    lines.append("📚 <b>" + _("Wants to learn") + ":</b> " + _labels(TOPICS, card.want_learn))
    lines.append("💬 <b>" + _("Cooperation formats") + ":</b> " + _labels(FORMATS, card.formats))
    if card.languages:
        lines.append(
            "🗣 <b>" + _("Working languages") + ":</b> " + _labels(WORK_LANGUAGES, card.languages)
        )
    if card.description:
        lines += ["", "📝 " + escape(card.description)]
    return "\n".join(lines)


def _entry(index: int, card: Card) -> str:
    lines = [
        f"<b>{index}. {escape(card.name)}</b>{badge(card)}",
        f"📍 {_place(card)}",
        "🤝 " + _labels(TOPICS, card.can_share),
    ]
    if card.description:
        text = card.description
        if len(text) > DESCRIPTION_PREVIEW:
            text = text[:DESCRIPTION_PREVIEW].rstrip() + "…"
        lines.append("<i>" + escape(text) + "</i>")
    return "\n".join(lines)


def results(page: Page, *, suggestions: bool) -> str:
    """A page of results: a numbered entry per organisation."""
    if suggestions:
        head = _(
            "⭐ <b>Suggested for you</b>: organisations that can teach what you want to "
            "learn, or want to learn what you can share."
        )
        head += "\n" + _("Page {page}").format(page=number(page.number + 1))
    else:
        head = _("🔎 <b>Found</b>: valid trust badges first, then the newest.")
        head += "\n" + _("Page {page}").format(page=number(page.number + 1))
    lines = [head]
    if page.moved:
        lines.append(
            _("ℹ️ The list has changed since that button was made; here is what it has now.")
        )
    first = page.number * PAGE_SIZE + 1
    lines += ["", "\n\n".join(_entry(first + i, card) for i, card in enumerate(page.cards))]
    lines += ["", _("Press a number to open the card.")]
    return "\n".join(lines)


def nothing_found(filters: Filters) -> str:
    """No results: which filters could be relaxed."""
    if filters.empty:
        return _("🔎 The directory has no organisations you can see yet. Please look again later.")
    return _(
        "🔎 Nothing found with these filters. Try removing one of them: the buttons below "
        "show which removals would find something."
    )


def no_suggestions() -> str:
    """Suggestions are empty."""
    return _(
        "⭐ No suggestions yet: no listed organisation can teach what you want to learn or "
        "wants to learn what you can share. Try « Find partners », or add topics to your profile."
    )


def suggestions_need_profile() -> str:
    """Suggestions before onboarding."""
    return _(
        "⭐ Suggestions are made from your organisation's profile. Please fill in the "
        "questionnaire first."
    )


def card_gone() -> str:
    """A card that does not exist or is not visible to the viewer."""
    return _("This organisation is not in the directory, or it has chosen not to be shown to you.")


def banned() -> str:
    """A banned organisation tries to search or ask."""
    return _(
        "Your organisation's profile has been blocked by the administrators, so this is "
        "not available. Please write to the administrators if you think this is "
        "a mistake."
    )


def remove_filter(name: str) -> str:
    """A button of "nothing found"."""
    return _("Remove {filter}").format(filter=quoted(filter_name(name)))


def share_text(name: str) -> str:
    """The text that goes with a shared card link."""
    return _("{name} in NGO Bridge").format(name=name)


BUTTONS: Final[dict[str, str]] = {
    "filters": N_("⚙️ Filters"),
    "show": N_("🔎 Show results"),
    "clear": N_("🧹 Clear filters"),
    "any": N_("Any"),
    "previous": N_("« Previous"),
    "next": N_("Next »"),
    "request": N_("📨 Request contact"),
    "share": N_("📤 Share this card"),
    "report": N_("⚠️ Report"),
    "to_results": N_("« Back to the list"),
    "accept": N_("✅ Accept"),
    "decline": N_("✖️ Decline"),
    "approve": N_("✅ Approve"),
    "reject": N_("✖️ Reject"),
    "dismiss": N_("Dismiss the report"),
    "hide": N_("🙈 Hide the profile"),
    "ban": N_("⛔ Ban the organisation"),
}


def button(key: str) -> str:
    """The label of a search, card or moderation button."""
    return _(BUTTONS[key])
