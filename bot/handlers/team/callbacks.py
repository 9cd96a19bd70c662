"""Presses on the Team screens and on invitations."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class TeamAction(StrEnum):
    """What a press on the Team screens asks for."""

    SHOW = "show"
    INVITE = "invite"
    REVOKE = "revoke"
    MEMBER = "member"  # one member's screen: remove, make owner
    REMOVE = "remove"
    REMOVE_OK = "remove_ok"
    OWNER = "owner"
    OWNER_OK = "owner_ok"
    LEAVE = "leave"
    LEAVE_OK = "leave_ok"


class TeamPress(CallbackData, prefix="tm"):
    """A press on the Team screens; `user` a member, `link` an invite link's id, `keep`
    whether the organisation stays after the presser leaves (as they were told)."""

    action: TeamAction
    user: int = 0
    link: int = 0
    keep: bool = False


class JoinPress(CallbackData, prefix="jn"):
    """Join through an invitation (its token again, checked anew on the press)."""

    token: str


class JoinAskPress(CallbackData, prefix="ja"):
    """ "Ask to join" the organisation found at onboarding."""

    org: int


class JoinAnswerPress(CallbackData, prefix="jr"):
    """An owner's answer to a join request."""

    request: int
    accept: bool


class JoinWaitPress(CallbackData, prefix="jw"):
    """The person's answer on their waiting join request: withdraw it, or keep waiting."""

    request: int
    withdraw: bool
