"""`python -m bot backup` and `restore`: a copy that restores, and every refusal: on
PostgreSQL, over an existing database, a schema newer than the code, a bot running."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot import backup
from bot.config import ConfigError, load_database_settings
from bot.users import touch_user
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade

POSTGRES = "postgresql+asyncpg://bot:secret@db.example.org:5432/ngo"


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _query(path: Path, sql: str) -> object:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchone()[0]


def _head() -> str:
    _, head = backup._known_revisions("sqlite+aiosqlite://")
    return head


async def _with_users(url: str, ids: range) -> None:
    engine = create_engine(url)
    try:
        for user_id in ids:
            await touch_user(
                create_session_maker(engine), user_id, f"U{user_id}", None, is_admin=False
            )
    finally:
        await engine.dispose()


async def test_backup_while_in_use_restores_into_a_fresh_place(
    database_url: str, tmp_path: Path
) -> None:
    await _with_users(database_url, range(1, 51))
    engine = create_engine(database_url)  # the bot's engine, open (WAL, a write pending)
    try:
        async with create_session_maker(engine)() as session:
            await session.connection()
            done = backup.backup(database_url, tmp_path / "copies" / "bot.backup")
    finally:
        await engine.dispose()
    assert "bot.backup" in done and _head() in done
    copy = tmp_path / "copies" / "bot.backup"
    assert _query(copy, "PRAGMA journal_mode") == "delete"  # one self-contained file
    assert not list((tmp_path / "copies").glob("*.partial"))
    fresh = tmp_path / "elsewhere" / "restored.db"
    said = await asyncio.to_thread(backup.restore, _url(fresh), copy)
    assert "restored into" in said and "migrated" not in said
    assert _query(fresh, "SELECT count(*) FROM users") == 50


async def test_refusals_leave_everything_as_it_was(database_url: str, tmp_path: Path) -> None:
    copy = tmp_path / "bot.backup"
    backup.backup(database_url, copy)
    with pytest.raises(backup.Refused, match="exists"):  # no --force: the old copy stays
        backup.backup(database_url, copy)
    target = tmp_path / "live" / "bot.db"
    await asyncio.to_thread(backup.restore, _url(target), copy)
    await _with_users(_url(target), range(1, 4))
    with pytest.raises(backup.Refused, match=r"exists \(add --force"):
        await asyncio.to_thread(backup.restore, _url(target), copy)
    assert _query(target, "SELECT count(*) FROM users") == 3
    # A bot running on it holds its lock: refused even with --force.
    running = backup.hold(_url(target))
    assert running is not None
    try:
        with pytest.raises(backup.Refused, match="the bot is running"):
            await asyncio.to_thread(backup.restore, _url(target), copy, force=True)
    finally:
        running.close()
    said = await asyncio.to_thread(backup.restore, _url(target), copy, force=True)
    assert _query(target, "SELECT count(*) FROM users") == 0
    kept = next(target.parent.glob("bot.db.before-restore-*"))
    assert kept.name in said and _query(kept, "SELECT count(*) FROM users") == 3
    # The database itself, either way.
    with pytest.raises(backup.Refused, match="is the database itself"):
        backup.backup(_url(target), target, force=True)
    with pytest.raises(backup.Refused, match="is the database itself"):
        await asyncio.to_thread(backup.restore, _url(target), target, force=True)
    # Not a backup at all.
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(backup.Refused, match="not a readable SQLite database"):
        await asyncio.to_thread(backup.restore, _url(tmp_path / "other.db"), junk)
    assert not (tmp_path / "other.db").exists()


async def test_a_newer_schema_is_refused_and_an_older_one_migrated(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    await asyncio.to_thread(upgrade, _url(old), "0008")
    copy = tmp_path / "old.backup"
    backup.backup(_url(old), copy)
    target = tmp_path / "restored.db"
    said = await asyncio.to_thread(backup.restore, _url(target), copy)
    assert "schema 0008" in said and f"migrated to {_head()}" in said
    assert _query(target, "SELECT version_num FROM alembic_version") == _head()

    with contextlib.closing(sqlite3.connect(copy)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00dfeed'")
        connection.commit()
    with pytest.raises(backup.Refused, match="f00dfeed, newer than this code knows"):
        await asyncio.to_thread(backup.restore, _url(tmp_path / "new.db"), copy)
    assert not (tmp_path / "new.db").exists()


def test_a_bot_does_not_start_while_a_restore_holds_the_database(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    restoring = backup._lock(database, exclusive=True)
    assert restoring is not None
    try:
        with pytest.raises(backup.Refused, match=r"a restore into .* is in progress"):
            backup.hold(_url(database))
    finally:
        restoring.close()
    started = backup.hold(_url(database))
    assert started is not None
    started.close()


def test_postgresql_is_refused_with_its_own_tools(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert backup.main(["backup", str(tmp_path / "x.dump")], POSTGRES) == backup.UNSUPPORTED
    said = capsys.readouterr().err
    assert "pg_dump -Fc -f ngo_bridge.dump 'postgresql://bot:***@db.example.org:5432/ngo'" in said
    assert "secret" not in said
    assert backup.main(["restore", str(tmp_path / "x.dump")], POSTGRES) == backup.UNSUPPORTED
    assert "pg_restore --clean --if-exists --no-owner -d" in capsys.readouterr().err
    assert not (tmp_path / "x.dump").exists()


def test_backups_read_database_url_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///somewhere/bot.db")
    assert load_database_settings(_env_file=None).database_url.endswith("somewhere/bot.db")
    monkeypatch.setenv("DATABASE_URL", "mysql://bot@db/ngo")
    with pytest.raises(ConfigError, match=r"^DATABASE_URL is invalid"):
        load_database_settings(_env_file=None)
