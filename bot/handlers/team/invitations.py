"""An invitation link (`/start join_<token>`) and the invitation a new user opened before
choosing a language, kept in the chat's FSM data until they have chosen one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from aiogram.fsm.context import FSMContext

JOIN_LINK: Final = re.compile(r"^join_([A-Za-z0-9_-]{0,64})$")
_KEY: Final = "join"  # the FSM data key it has always been kept under


def link_payload(token: str) -> str:
    """The deep link's payload for an invitation's token."""
    return f"join_{token}"


@dataclass(frozen=True)
class PendingInvitation:
    """An invitation opened before the language was chosen: shown once it is."""

    token: str

    async def keep(self, state: FSMContext) -> None:
        """Remember it in the chat's FSM data."""
        await state.update_data({_KEY: self.token})

    @staticmethod
    async def take(state: FSMContext) -> PendingInvitation | None:
        """The invitation waiting for the language to be chosen, forgotten as it is
        taken; None when there is none."""
        data = await state.get_data()
        token = data.pop(_KEY, None)
        if not isinstance(token, str):
            return None
        await state.set_data(data)
        return PendingInvitation(token)
