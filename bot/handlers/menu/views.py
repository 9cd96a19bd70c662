"""The main menu: its buttons, and showing it."""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, WebAppInfo

from bot import shared_texts, users
from bot.handlers.directory.callbacks import ContactAction, ContactPress, SearchAction, SearchPress
from bot.handlers.events.callbacks import EventAction, EventPress
from bot.handlers.menu import texts
from bot.i18n import current_locale
from bot.miniapp import link
from bot.navigation import MenuAction, MenuPress
from bot.screens import callback_button, keyboard_of, show
from db.engine import Sessions


async def show_menu(
    message: Message,
    sessions: Sessions,
    user_id: int,
    *,
    edit: bool,
    has_profile: bool | None = None,
) -> None:
    """The main menu; its first button depends on whether the profile exists (looked up
    unless the caller already knows), 📣 Offer or seek on whether it is active."""
    status = await users.organisation_status(sessions, user_id)
    if has_profile is None:
        has_profile = status is not None
    await show(message, *screen(has_profile, can_post=status == "active"), edit=edit)


def screen(has_profile: bool, *, can_post: bool | None = None) -> tuple[str, InlineKeyboardMarkup]:
    """The main menu's text and buttons, for a message sent by other means (`can_post`:
    the organisation is active; by default, whether there is a profile)."""
    can_post = has_profile if can_post is None else can_post
    return texts.main_menu(has_profile), main_menu(has_profile, can_post and has_profile)


def main_menu(has_profile: bool, can_post: bool = False) -> InlineKeyboardMarkup:
    """Search and suggestions, profile (or the questionnaire), requests, events (and, for
    members of an active organisation, offer or seek), calls and offers, settings, help."""
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
    # What organisations post that is open now (bot/handlers/find).
    find = callback_button(shared_texts.button("find"), MenuPress(action=MenuAction.FIND))
    # The Mini App (when WEBAPP_URL is set): the directory on one screen.
    opener = []
    if mini_app is not None:
        app = WebAppInfo(url=mini_app)
        opener.append([InlineKeyboardButton(text=shared_texts.button("mini_app"), web_app=app)])
    return keyboard_of(
        [
            *opener,
            [search, suggest] if has_profile else [search],
            [first, inbox] if has_profile else [first],
            [events, post] if can_post else [events],
            [find],  # everyone may look; answering needs an organisation
            [
                callback_button(
                    shared_texts.button("settings"), MenuPress(action=MenuAction.SETTINGS)
                ),
                callback_button(shared_texts.button("help"), MenuPress(action=MenuAction.HELP)),
            ],
        ]
    )
