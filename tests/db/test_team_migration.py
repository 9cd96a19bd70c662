"""Migration 0008 on a database made before teams, with data in it: every owner_id becomes
an owner membership, the bot works on it, and the downgrade puts the owners back."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.handlers.onboarding import profiles
from db.engine import create_engine, create_session_maker
from db.migrate import downgrade, upgrade

pytestmark = pytest.mark.databases("sqlite", "postgresql")

WHEN = "2026-01-01 10:00:00+00:00"


async def _run(url: str, *statements: str) -> list[tuple[object, ...]]:
    """Run statements; the rows of the last one (if it returns any)."""
    engine = create_engine(url, foreign_keys=False)
    try:
        async with engine.begin() as connection:
            result = None
            for statement in statements:
                result = await connection.execute(text(statement))
            return (
                [tuple(row) for row in result] if result is not None and result.returns_rows else []
            )
    finally:
        await engine.dispose()


async def _columns(url: str, table: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:

            def names(sync: AsyncConnection) -> set[str]:
                return {column["name"] for column in inspect(sync).get_columns(table)}

            return await connection.run_sync(names)  # type: ignore[arg-type]
    finally:
        await engine.dispose()


async def test_owners_become_owner_memberships_and_come_back_on_downgrade(
    database_url: str,
) -> None:
    await asyncio.to_thread(downgrade, database_url, "0006")
    await _run(
        database_url,
        "insert into users (id, first_name, is_active, events_on, digest_on, created_at, "
        f"updated_at) values (1, 'A', true, true, true, '{WHEN}', '{WHEN}'), "
        f"(2, 'B', true, true, true, '{WHEN}', '{WHEN}'), "
        f"(3, 'C', true, true, true, '{WHEN}', '{WHEN}')",
        "insert into organisations (id, owner_id, name, country, city, cross_border, listed, "
        "audience, status, share_mask, learn_mask, focus_mask, format_mask, created_at, "
        f"updated_at) values (10, 1, 'Hope', 'KZ', 'Almaty', false, true, 'all', 'active', "
        f"0, 0, 0, 0, '{WHEN}', '{WHEN}'), (11, 2, 'Bridge', 'AM', 'Yerevan', false, true, "
        f"'all', 'active', 0, 0, 0, 0, '2026-02-01 10:00:00+00:00', '{WHEN}')",
        "insert into contact_requests (id, sender_id, recipient_id, status, created_at) "
        f"values (5, 11, 10, 'pending', '{WHEN}')",
    )
    await asyncio.to_thread(upgrade, database_url)
    assert "owner_id" not in await _columns(database_url, "organisations")
    rows = await _run(
        database_url,
        "select user_id, organisation_id, role from memberships order by user_id",
    )
    assert rows == [(1, 10, "owner"), (2, 11, "owner")]
    assert await _run(database_url, "select sender_id, asked_by from contact_requests") == [
        (11, None)
    ]

    engine = create_engine(database_url)
    try:
        sessions = create_session_maker(engine)
        profile = await profiles.load_profile(sessions, 1)
        assert profile is not None and profile.answers["name"] == "Hope" and profile.owner
        assert await profiles.load_profile(sessions, 3) is None
    finally:
        await engine.dispose()

    # A member joins Hope; the downgrade keeps Hope's owner and forgets the member.
    await _run(
        database_url,
        f"insert into memberships values (3, 10, 'member', '{WHEN}')",
    )
    await asyncio.to_thread(downgrade, database_url, "0007")
    assert await _run(database_url, "select id, owner_id from organisations order by id") == [
        (10, 1),
        (11, 2),
    ]
    await asyncio.to_thread(upgrade, database_url)
    rows = await _run(database_url, "select user_id, role from memberships order by user_id")
    assert rows == [(1, "owner"), (2, "owner")]
