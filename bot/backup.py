"""`python -m bot backup PATH` and `python -m bot restore PATH [--force]` (README,
"Operations").

On SQLite a backup is taken with SQLite's online backup API: a consistent copy while the
bot runs and writes (one read transaction over the whole copy), written beside PATH and
renamed into place, checked (`PRAGMA quick_check`) and made one self-contained file. On
PostgreSQL both refuse (exit code 2) and name the `pg_dump`/`pg_restore` line instead.

A restore needs the bot stopped: a running bot holds a shared lock on `<database>.lock`
(`hold`, taken by `python -m bot` before it migrates), and the restore takes it
exclusively, so it refuses while any bot runs on that file, and a bot started during the
restore waits for nothing but refuses to start. It refuses to replace an existing
database without `--force` (the replaced one is kept beside it, renamed), refuses a
backup of a schema newer than this code, and migrates an older one after restoring."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

try:
    import fcntl
except ImportError:  # Windows: no lock, README says to stop the bot first
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)
REFUSED = 1  # exit code: not done, for a reason the message gives
UNSUPPORTED = 2  # exit code: not on this database (PostgreSQL) or a bad command line


class Refused(Exception):
    """Not done; the message says why (one line), `code` is the exit code."""

    def __init__(self, message: str, code: int = REFUSED) -> None:
        super().__init__(message)
        self.code = code


def sqlite_file(url: str) -> Path | None:
    """The SQLite file of DATABASE_URL, None for PostgreSQL (or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _plain_url(url: str) -> str:
    """DATABASE_URL as libpq writes it (no driver, no password shown)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=True)


def _postgres(url: str, what: str) -> Refused:
    plain = _plain_url(url)
    line = (
        f"pg_dump -Fc -f ngo_bridge.dump '{plain}'"
        if what == "backup"
        else f"pg_restore --clean --if-exists --no-owner -d '{plain}' ngo_bridge.dump"
    )
    return Refused(
        f"{what} is for SQLite; on PostgreSQL use its own tools: {line}", code=UNSUPPORTED
    )


def _same(path: Path, database: Path) -> bool:
    """Whether `path` is the database's file (or one of its companions)."""
    mine = {database.with_name(database.name + extra).resolve() for extra in ("", "-wal", "-shm")}
    return path.resolve() in mine


def _lock_file(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def _lock(database: Path, exclusive: bool) -> IO[str] | None:
    """The lock file of `database` opened and locked (closing it unlocks); None where
    there is no locking (Windows). Raises BlockingIOError when it is held otherwise."""
    if fcntl is None:
        return None
    path = _lock_file(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise
    return handle


def hold(url: str) -> IO[str] | None:
    """For a running bot: a shared lock on the database's lock file, kept while the
    returned handle is open (the process's life). Raises `Refused` while a restore runs
    on it; None on PostgreSQL or where the lock cannot be taken (not writable, Windows)."""
    database = sqlite_file(url)
    if database is None:
        return None
    try:
        return _lock(database, exclusive=False)
    except BlockingIOError:
        raise Refused(f"a restore into {database} is in progress") from None
    except OSError:
        return None


def _revision(connection: sqlite3.Connection, what: Path) -> str:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise Refused(f"{what} is not a database of NGO Bridge ({exc})") from None
    if row is None:
        raise Refused(f"{what} has no schema revision: not a database of NGO Bridge")
    return str(row[0])


def _checked(connection: sqlite3.Connection, what: Path) -> None:
    try:
        found = connection.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise Refused(f"{what} is not a readable SQLite database ({exc})") from None
    if found is None or found[0] != "ok":
        raise Refused(f"{what} is damaged: {found[0] if found else 'no answer'}")


def _copy(source: Path, target: Path) -> str:
    """Copy `source` into the new file `target` with the online backup API; its revision."""
    with (
        contextlib.closing(sqlite3.connect(source, timeout=30)) as reader,
        contextlib.closing(sqlite3.connect(target)) as writer,
    ):
        reader.backup(writer)  # one step: one consistent snapshot
        writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        _checked(writer, target)
        return _revision(writer, target)


def backup(url: str, target: Path, *, force: bool = False) -> str:
    """Write a consistent copy of the database at `url` to `target`; what was done."""
    database = sqlite_file(url)
    if database is None:
        raise _postgres(url, "backup")
    if not database.exists():
        raise Refused(f"there is no database at {database}")
    if _same(target, database):
        raise Refused(f"{target} is the database itself: write the backup elsewhere")
    if target.exists() and not force:
        raise Refused(f"{target} exists (add --force to replace it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        revision = _copy(database, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    size = target.stat().st_size
    return f"backup of {database} written to {target} ({size} bytes, schema {revision})"


def _known_revisions(url: str) -> tuple[set[str], str]:
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(url))
    head = script.get_current_head()
    assert head is not None
    return {rev.revision for rev in script.walk_revisions()}, head


def _set_aside(database: Path) -> Path:
    """Rename the database (and its WAL files, which belong to it) out of the way."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = database.with_name(f"{database.name}.before-restore-{stamp}")
    for suffix in ("-wal", "-shm"):
        extra = database.with_name(database.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    os.replace(database, aside)
    return aside


def restore(url: str, source: Path, *, force: bool = False) -> str:
    """Make the backup `source` the database at `url` (the bot stopped); what was done."""
    database = sqlite_file(url)
    if database is None:
        raise _postgres(url, "restore")
    if not source.is_file():
        raise Refused(f"there is no backup at {source}")
    if _same(source, database):
        raise Refused(f"{source} is the database itself, not a backup of it")
    with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_db:
        _checked(backup_db, source)
        revision = _revision(backup_db, source)
    known, head = _known_revisions(url)
    if revision not in known:
        raise Refused(
            f"{source} has schema {revision}, newer than this code knows (head {head}): "
            "restore it with the version of the bot that wrote it"
        )
    try:
        lock = _lock(database, exclusive=True)
    except BlockingIOError:
        raise Refused(f"the bot is running on {database}: stop it first") from None
    try:
        aside = None
        if database.exists():
            if not force:
                raise Refused(f"{database} exists (add --force to replace it; it is kept aside)")
            aside = _set_aside(database)
        database.parent.mkdir(parents=True, exist_ok=True)
        partial = database.with_name(database.name + ".restoring")
        partial.unlink(missing_ok=True)
        try:
            _copy(source, partial)
            os.replace(partial, database)
        finally:
            partial.unlink(missing_ok=True)
        done = f"{source} restored into {database} (schema {revision})"
        if aside is not None:
            done += f"; the database it replaced is {aside}"
        if revision != head:
            from db.migrate import upgrade

            upgrade(url)
            done += f"; migrated to {head}"
        return done
    finally:
        if lock is not None:
            lock.close()


def main(argv: list[str], url: str) -> int:
    """`backup PATH [--force]` or `restore PATH [--force]` on the database at `url`."""
    parser = argparse.ArgumentParser(prog="python -m bot")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, helps in (
        ("backup", "write a consistent copy of the database (SQLite) to PATH, bot running"),
        ("restore", "make the backup at PATH the database (bot stopped); migrate if older"),
    ):
        command = commands.add_parser(name, help=helps)
        command.add_argument("path", type=Path)
        command.add_argument("--force", action="store_true", help="replace what is there")
    arguments = parser.parse_args(argv)
    run = backup if arguments.command == "backup" else restore
    try:
        print(run(url, arguments.path, force=arguments.force))
    except Refused as refused:
        print(f"ngo-bridge: {refused}", file=sys.stderr)
        return refused.code
    except (OSError, sqlite3.Error) as exc:
        print(f"ngo-bridge: {arguments.command} failed: {exc}", file=sys.stderr)
        return REFUSED
    return 0
