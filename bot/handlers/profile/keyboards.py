"""Buttons under the profile card."""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardMarkup

from bot import shared_texts
from bot.handlers.profile import texts
from bot.handlers.profile.callbacks import TrustAction, TrustPress
from bot.handlers.team import texts as team_texts
from bot.handlers.team.callbacks import TeamAction, TeamPress
from bot.i18n import current_locale
from bot.navigation import MenuAction, MenuPress, ProfileAction, ProfilePress
from bot.screens import callback_button, keyboard_of


def profile(owner: bool = True) -> InlineKeyboardMarkup:
    """Under the profile card: for owners change an answer, visibility, badge; the team;
    back to the menu."""
    return _profile(current_locale(), owner)


@lru_cache(maxsize=16)
def _profile(locale: str, owner: bool) -> InlineKeyboardMarkup:
    team = callback_button(team_texts.button("team"), TeamPress(action=TeamAction.SHOW))
    menu = callback_button(shared_texts.button("menu"), MenuPress(action=MenuAction.HOME))
    if not owner:
        return keyboard_of([[team], [menu]])
    return keyboard_of(
        [
            [callback_button(shared_texts.button("edit"), ProfilePress(action=ProfileAction.EDIT))],
            [
                callback_button(
                    texts.button("visibility"), TrustPress(action=TrustAction.VISIBILITY)
                ),
                callback_button(texts.button("badge"), TrustPress(action=TrustAction.BADGE)),
            ],
            [team],
            [menu],
        ]
    )
