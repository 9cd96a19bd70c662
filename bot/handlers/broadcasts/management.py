"""Broadcasts as admins manage them: who one reaches, creating it with a row per recipient,
listing and stopping them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from bot.delivery.broadcast_rows import Audience, Content, Summary, summary_of
from bot.handlers.broadcasts import queries
from bot.taxonomy import FOCUS_AREAS
from db import broadcasts
from db.engine import Sessions, reading, writing
from db.models import Broadcast

TEXT_MAX: Final = 4096  # Telegram's limit for one message


RECENT: Final = 10  # broadcasts listed by /broadcasts


def _recipients(audience: Audience, now: datetime, default_language: str) -> Any:
    return queries.recipients(
        countries=audience.countries,
        languages=audience.languages,
        focus_bits=FOCUS_AREAS.mask(audience.focus),
        verified=audience.verified,
        now=now,
        default_language=default_language,
    )


async def count_audience(
    sessions: Sessions,
    audience: Audience,
    now: datetime,
    default_language: str,
) -> int:
    """How many users the audience reaches now."""
    async with reading(sessions) as session:
        return await queries.count(session, _recipients(audience, now, default_language))


async def create(
    sessions: Sessions,
    admin: tuple[int, str],
    content: Content,
    audience: Audience,
    now: datetime,
    default_language: str,
) -> Summary | None:
    """The broadcast (`admin`: id and language) and one pending row per recipient, in
    one transaction; None (and nothing written) when the audience reaches nobody."""
    try:
        return await _create(sessions, admin, content, audience, now, default_language)
    except _NoRecipients:
        return None


class _NoRecipients(Exception):
    """Raised inside the transaction so that it rolls back."""


async def _create(
    sessions: Sessions,
    admin: tuple[int, str],
    content: Content,
    audience: Audience,
    now: datetime,
    default_language: str,
) -> Summary:
    async with writing(sessions) as session:
        row = Broadcast(
            admin_id=admin[0],
            language=admin[1],
            status="running",
            text=content.text,
            from_chat_id=content.from_chat_id,
            message_id=content.message_id,
            audience=audience.dump(),
            created_at=now,
        )
        session.add(row)
        await session.flush()
        row.total = await queries.add_deliveries(
            session, row.id, _recipients(audience, now, default_language)
        )
        if not row.total:
            raise _NoRecipients
        return summary_of(row, {"pending": row.total})


async def attach_status(
    sessions: Sessions, broadcast_id: int, chat_id: int, message_id: int
) -> None:
    """Remember the admin's status message, so progress survives a restart."""
    async with writing(sessions) as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is not None:
            row.status_chat_id, row.status_message_id = chat_id, message_id


async def recent(sessions: Sessions) -> list[Summary]:
    """The latest broadcasts with their counts, newest first."""
    async with reading(sessions) as session:
        return [
            summary_of(row, await broadcasts.counts(session, row.id))
            for row in await queries.recent(session, RECENT)
        ]


async def cancel(sessions: Sessions, broadcast_id: int, now: datetime) -> bool:
    """Stop a running broadcast (what was sent stays sent); False if it was not running."""
    async with writing(sessions) as session:
        return await broadcasts.set_status(session, broadcast_id, "cancelled", now)
