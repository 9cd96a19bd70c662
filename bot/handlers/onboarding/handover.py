"""Where the questionnaire hands over to features above it, which import it (it imports
none of them): the profile card after a one-answer change (profile), and "already here?"
after the name and the country (team). The composition root (bot/app.py) gives them to
the dispatcher as `handover`, which handlers receive by name, like `sessions`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from db.engine import Sessions


class ShowProfile(Protocol):
    """The saved card with its buttons, after `notice` if any."""

    async def __call__(
        self,
        message: Message,
        sessions: Sessions,
        owner_id: int,
        *,
        edit: bool,
        notice: str | None = None,
    ) -> None: ...


class SaveAndShowProfile(Protocol):
    """Store a changed answer and show the card again."""

    async def __call__(
        self,
        message: Message,
        state: FSMContext,
        answers: dict[str, Any],
        sessions: Sessions,
        *,
        edit: bool,
    ) -> None: ...


class OfferExisting(Protocol):
    """ "Already here?" when an organisation of that name exists in that country; False
    when none does."""

    async def __call__(
        self, message: Message, sessions: Sessions, name: str, country: str, *, edit: bool
    ) -> bool: ...


@dataclass(frozen=True)
class Handover:
    """The screens the questionnaire hands over to."""

    show_profile: ShowProfile
    save_and_show_profile: SaveAndShowProfile
    offer_existing: OfferExisting
