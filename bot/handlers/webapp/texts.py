"""The Mini App's words: the page's own, and the chat's where they mean the same."""

from __future__ import annotations

import html
import re
from typing import Final

from bot import shared_texts
from bot.handlers.directory import texts as directory_texts
from bot.handlers.directory.search import Filters
from bot.handlers.events import texts as events_texts
from bot.handlers.events.drafts import EventInfo
from bot.handlers.find import texts as find_texts
from bot.handlers.webapp.auth import Denial
from bot.i18n import _, number, plural

TAG: Final = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """A chat message's HTML as the page's plain text (the page never parses HTML)."""
    return html.unescape(TAG.sub("", text))


def found(count: int, cap: int) -> str:
    """How many organisations the filters found (counted up to `cap`)."""
    if count > cap:
        return _("More than {n} organisations found").format(n=number(cap))
    return plural("{n} organisation found", "{n} organisations found", count)


def show(count: int, cap: int) -> str:
    """The MainButton that takes the user from the filters to what they found."""
    if count > cap:
        return _("Show more than {n} organisations").format(n=number(cap))
    return plural("Show {n} organisation", "Show {n} organisations", count)


def denied(denial: Denial) -> str:
    """Why a genuine Telegram user gets nothing from the API."""
    if denial is Denial.BANNED:
        return plain(directory_texts.banned())
    return _("Please open the chat with the bot and send /start first.")


def going(event: EventInfo, *, sent: bool) -> str:
    """After "I'll attend" on the page: where the calendar file went (the chat's own
    words say "below", under the file they caption), or that it could not go."""
    title = shared_texts.quoted(event.draft.title)
    if not sent:
        return _(
            "✅ You are on the list for {title}, but the calendar file could not be sent: "
            "please open the chat with the bot and send /start."
        ).format(title=title)
    text = _(
        "✅ You are on the list for {title}. The calendar file has been sent to your chat "
        "with the bot; we will remind you there a day and an hour before."
    ).format(title=title)
    if event.draft.kind == "internship" and event.draft.deadline:
        text += "\n" + _("We will also remind you three days before applications close.")
    return text


def nothing(empty_filters: bool) -> str:
    """An empty list: an empty directory, or filters that narrow to nothing."""
    if empty_filters:
        return plain(directory_texts.nothing_found(Filters()))
    return _("Nothing found. Try fewer filters or other words.")


def cannot_answer() -> str:
    """An answer the page sent wrong (not a call or internship, no post): nothing the
    user typed can mend it."""
    return _("This post cannot be answered from here. Please open the list again.")


def strings() -> dict[str, str]:
    """Every word the page shows, in the current language."""
    names = directory_texts.FILTER_NAMES
    return {
        "tab_directory": shared_texts.button("mini_app"),
        "tab_suggested": _("⭐ For you"),  # the chat's "Suggested for you" is cut at 360 px
        "tab_events": shared_texts.button("events"),
        "tab_offers": shared_texts.button("find"),
        "filter_kind": find_texts.filter_name("kind"),
        "open_in_bot": find_texts.open_in_bot(),
        "yours": find_texts.yours(),
        "answer_hint": _("A few words to the host: who you are and why"),
        "answer_send": _("📨 Send"),
        "answer_cancel": _("Cancel"),
        "answer_sent": _("✅ Sent: the host will answer in the bot."),
        "search": _("Name, city or keyword"),
        "any": _("any"),
        **{f"filter_{name}": directory_texts.filter_name(name) for name in names},
        "request": directory_texts.button("request"),
        "back": directory_texts.button("to_results"),
        "focus": _("Focus areas"),
        "share": _("Can share"),
        "want": _("Wants to learn"),
        "formats": _("Cooperation formats"),
        "languages": _("Working languages"),
        "attend": events_texts.button("going"),
        "attending": _("✅ You are going"),
        "apply": events_texts.button("apply"),
        "taking_part": events_texts.taking_part(),
        "loading": _("Loading…"),
        "clear": directory_texts.button("clear"),
        "nothing": nothing(empty_filters=False),
        "no_events": plain(events_texts.upcoming([], 0, "UTC", frozenset())),
        "error": plain(shared_texts.error_happened()),
        "bad_request": _("This search could not be done. Please change the words or filters."),
        "reopen": _(
            "This page has expired. Please open NGO Bridge again from the chat with the bot."
        ),
        "start": denied(Denial.UNKNOWN),
        "gone": plain(directory_texts.card_gone()),
    }
