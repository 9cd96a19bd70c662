"""Reading questionnaire progress straight from the database, as a restart would."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.engine import Sessions
from db.models import FsmRecord


async def fsm_of(sessions: Sessions, user_id: int) -> tuple[str | None, dict[str, Any]]:
    """The stored FSM state and data of a user's private chat (None, {} when empty)."""
    async with sessions() as session:
        rows = (await session.scalars(select(FsmRecord))).all()
    for row in rows:
        if f":{user_id}:{user_id}:" in row.key:
            return row.state, dict(row.data)
    return None, {}
