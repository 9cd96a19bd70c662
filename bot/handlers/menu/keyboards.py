"""The main menu's buttons."""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot import shared_texts
from bot.handlers.directory.callbacks import ContactAction, ContactPress, SearchAction, SearchPress
from bot.handlers.events.callbacks import EventAction, EventPress
from bot.handlers.webapp import texts as webapp_texts
from bot.i18n import current_locale
from bot.miniapp import link
from bot.navigation import MenuAction, MenuPress
from bot.screens import callback_button, keyboard_of


def main_menu(has_profile: bool, can_post: bool = False) -> InlineKeyboardMarkup:
    """Search and suggestions, profile (or the questionnaire), requests, events (and, for
    members of an active organisation, offer or seek), settings, help."""
    locale = current_locale()
    return _main_menu(locale, has_profile, can_post, link(locale))


@lru_cache(maxsize=64)
def _main_menu(
    locale: str, has_profile: bool, can_post: bool, mini_app: str | None
) -> InlineKeyboardMarkup:
    first = (
        callback_button(shared_texts.button("profile"), MenuPress(action=MenuAction.PROFILE))
        if has_profile
        else callback_button(shared_texts.button("onboard"), MenuPress(action=MenuAction.ONBOARD))
    )
    search = callback_button(
        shared_texts.button("search"), SearchPress(action=SearchAction.FILTERS)
    )
    suggest = callback_button(
        shared_texts.button("suggest"), SearchPress(action=SearchAction.SUGGEST)
    )
    inbox = callback_button(shared_texts.button("inbox"), ContactPress(action=ContactAction.INBOX))
    events = callback_button(
        shared_texts.button("events"), EventPress(action=EventAction.PAGE, item=0)
    )
    # Members of an active organisation post what it offers (posts checks it again).
    post = callback_button(shared_texts.button("post"), MenuPress(action=MenuAction.POST))
    # The Mini App (when WEBAPP_URL is set): the directory on one screen.
    opener = []
    if mini_app is not None:
        app = WebAppInfo(url=mini_app)
        opener.append([InlineKeyboardButton(text=webapp_texts.button("open"), web_app=app)])
    return keyboard_of(
        [
            *opener,
            [search, suggest] if has_profile else [search],
            [first, inbox] if has_profile else [first],
            [events, post] if can_post else [events],
            [
                callback_button(
                    shared_texts.button("settings"), MenuPress(action=MenuAction.SETTINGS)
                ),
                callback_button(shared_texts.button("help"), MenuPress(action=MenuAction.HELP)),
            ],
        ]
    )
