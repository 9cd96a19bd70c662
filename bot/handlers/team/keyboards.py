"""Buttons of the Team screens and of invitations."""

from __future__ import annotations

from urllib.parse import quote

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import navigation, shared_texts
from bot.handlers.onboarding.callbacks import ReviewAction, ReviewPress
from bot.handlers.team import texts
from bot.handlers.team.callbacks import (
    JoinAnswerPress,
    JoinAskPress,
    JoinPress,
    JoinWaitPress,
    TeamAction,
    TeamPress,
)
from bot.handlers.team.membership import Member, Team
from bot.navigation import MenuAction, MenuPress
from bot.screens import Row, callback_button, keyboard_of


def _to_team() -> list[InlineKeyboardButton]:
    return [callback_button(texts.button("to_team"), TeamPress(action=TeamAction.SHOW))]


def team(shown: Team) -> InlineKeyboardMarkup:
    """Owners: invite, each other member, revoke each link; everyone: leave, back."""
    rows: list[Row] = []
    if shown.me.owner:
        rows.append([callback_button(texts.button("invite"), TeamPress(action=TeamAction.INVITE))])
        others = [
            callback_button(
                texts.member_label(member),
                TeamPress(action=TeamAction.MEMBER, user=member.user_id),
            )
            for member in shown.members
            if member.user_id != shown.me.user_id
        ]
        rows += [others[i : i + 2] for i in range(0, len(others), 2)]
        rows += [
            [
                callback_button(
                    texts.button("revoke", n=number),
                    TeamPress(action=TeamAction.REVOKE, link=invite.id),
                )
            ]
            for number, invite in enumerate(shown.invites, start=1)
        ]
    rows.append([callback_button(texts.button("leave"), TeamPress(action=TeamAction.LEAVE))])
    rows.append(
        [callback_button(shared_texts.button("to_profile"), MenuPress(action=MenuAction.PROFILE))]
    )
    return keyboard_of(rows)


def invitation(link: str, name: str) -> InlineKeyboardMarkup:
    """Share the link through Telegram's share screen; back to the team."""
    url = "https://t.me/share/url?url=" + quote(link, safe="")
    url += "&text=" + quote(texts.share_text(name), safe="")
    return keyboard_of([[InlineKeyboardButton(text=texts.button("share"), url=url)], _to_team()])


def member(shown: Member) -> InlineKeyboardMarkup:
    """An owner's choices about another member."""
    rows: list[Row] = []
    if not shown.owner:
        owner = TeamPress(action=TeamAction.OWNER, user=shown.user_id)
        rows.append([callback_button(texts.button("make_owner"), owner)])
    remove = TeamPress(action=TeamAction.REMOVE, user=shown.user_id)
    rows.append([callback_button(texts.button("remove"), remove)])
    rows.append(_to_team())
    return keyboard_of(rows)


def confirm(key: str, press: TeamPress) -> InlineKeyboardMarkup:
    """Yes (the button `key`), or back to the team."""
    return keyboard_of([[callback_button(texts.button(key), press)], _to_team()])


def join(token: str) -> InlineKeyboardMarkup:
    """Join, or the main menu."""
    return keyboard_of(
        [
            [callback_button(texts.button("join"), JoinPress(token=token))],
            [navigation.menu_button()],
        ]
    )


def back_to_team() -> InlineKeyboardMarkup:
    """Only the way back to the team."""
    return keyboard_of([_to_team()])


def already_here(organisation_id: int) -> InlineKeyboardMarkup:
    """Ask to join the organisation found, or carry on with the questionnaire."""
    return keyboard_of(
        [
            [callback_button(texts.button("ask_join"), JoinAskPress(org=organisation_id))],
            [callback_button(texts.button("not_ours"), ReviewPress(action=ReviewAction.CONTINUE))],
        ]
    )


def answer_join(request_id: int) -> InlineKeyboardMarkup:
    """Accept / Decline under a join request."""
    return keyboard_of(
        [
            [
                callback_button(
                    texts.button("accept"), JoinAnswerPress(request=request_id, accept=True)
                ),
                callback_button(
                    texts.button("decline"), JoinAnswerPress(request=request_id, accept=False)
                ),
            ]
        ]
    )


def waiting(request_id: int) -> InlineKeyboardMarkup:
    """Withdraw the waiting join request, or keep waiting."""
    return keyboard_of(
        [
            [
                callback_button(
                    texts.button("withdraw"), JoinWaitPress(request=request_id, withdraw=True)
                )
            ],
            [
                callback_button(
                    texts.button("keep_waiting"), JoinWaitPress(request=request_id, withdraw=False)
                )
            ],
        ]
    )
