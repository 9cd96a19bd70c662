"""The database layer: migrations, the FSM storage, and many writers at once on SQLite."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

from aiogram.fsm.storage.base import StorageKey
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, func, select, text

from bot import users
from bot.handlers.onboarding import profiles
from db.engine import Sessions, create_engine, create_session_maker
from db.fsm_storage import SQLAlchemyStorage
from db.migrate import alembic_config, downgrade, upgrade
from db.models import Base, FsmRecord, Organisation, OrganisationTag

ANSWERS = {
    "name": "Fund <Hope>",
    "country": "KZ",
    "city": "Almaty",
    "focus_areas": ["children", "health"],
    "can_share": ["fundraising"],
    "want_learn": ["impact", "management"],
    "formats": ["webinars"],
    "cross_border": True,
    "cross_border_countries": ["AM", "KG"],
    "barriers": [],
    "languages": ["kk", "ru"],
    "description": None,
    "website": "https://fund.kz",
    "contact": "@fund_kz",
    "consent": True,
}


MIGRATE = """
import logging, sys
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
from db.migrate import upgrade
upgrade(sys.argv[1])
"""


def _migration_log(url: str) -> list[str]:
    """What a fresh process migrating `url` logs at INFO (as `make run` shows it)."""
    done = subprocess.run(
        [sys.executable, "-c", MIGRATE, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    return done.stderr.splitlines()


async def test_the_migration_log_names_the_revisions_it_ran_and_nothing_more(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'log.db'}"
    scripts = ScriptDirectory.from_config(alembic_config(url))
    revisions = list(reversed(list(scripts.walk_revisions())))
    first = await asyncio.to_thread(_migration_log, url)
    assert first == [
        f"db.migrate: migration {script.revision} applied: {' '.join(str(script.doc).split())}"
        for script in revisions
    ]
    assert first[0] == "db.migrate: migration 0001 applied: initial schema"
    assert await asyncio.to_thread(_migration_log, url) == ["db.migrate: database is up to date"]


def _key(user_id: int) -> StorageKey:
    return StorageKey(bot_id=1, chat_id=user_id, user_id=user_id)


async def test_migrations_step_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'stairs.db'}"
    await asyncio.to_thread(upgrade, url)
    await asyncio.to_thread(downgrade, url, "base")
    await asyncio.to_thread(upgrade, url)
    with sqlite3.connect(tmp_path / "stairs.db") as connection:
        tables = {row[0] for row in connection.execute("select name from sqlite_master")}
    assert {"users", "organisations", "organisation_tags", "fsm_states"} <= tables


async def test_every_migration_steps_down_and_up_one_at_a_time(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'steps.db'}"
    scripts = ScriptDirectory.from_config(alembic_config(url))
    steps = len(list(scripts.walk_revisions()))
    assert steps >= 5
    await asyncio.to_thread(upgrade, url)
    for _ in range(steps):  # head → … → 0001 → base
        await asyncio.to_thread(downgrade, url, "-1")
    for _ in range(steps):
        await asyncio.to_thread(upgrade, url, "+1")
    with sqlite3.connect(tmp_path / "steps.db") as connection:
        version = connection.execute("select version_num from alembic_version").fetchone()
    assert version == (scripts.get_current_head(),)


async def test_the_directory_migration_indexes_organisations_saved_before_it(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(upgrade, url, "0001")
    with sqlite3.connect(tmp_path / "old.db") as connection:
        connection.execute(
            "insert into users (id, first_name, is_active, created_at, updated_at) "
            "values (1, 'A', 1, '2026-01-01', '2026-01-01')"
        )
        connection.execute(
            "insert into organisations (id, owner_id, name, country, city, cross_border, "
            "description, listed, created_at, updated_at) values (1, 1, 'Қамқор Fund', 'KZ', "
            "'Алматы', 0, 'Helping children', 1, '2026-01-01', '2026-01-01')"
        )
        connection.executemany(
            "insert into organisation_tags values (1, ?, ?)",
            [("share", "fundraising"), ("learn", "impact"), ("focus", "children"),
             ("barrier", "platforms"), ("barrier", "other")],
        )  # fmt: skip
    await asyncio.to_thread(upgrade, url)
    with sqlite3.connect(tmp_path / "old.db") as connection:
        words = {row[0] for row in connection.execute("select word from organisation_words")}
        masks = connection.execute(
            "select share_mask, learn_mask, focus_mask, audience, status, barrier_mask"
            " from organisations"
        ).fetchone()
    assert words == {"қамқор", "fund", "алматы", "helping", "children"}
    # 0019 fills the barriers' mask in from the tags too (bit i = the i-th barrier)
    assert masks == (1 << 1, 1 << 5, 1 << 0, "all", "active", 1 << 1 | 1 << 7)


async def test_sqlite_runs_in_wal_with_foreign_keys(
    sessions: Sessions,
) -> None:
    async with sessions() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await session.execute(text("PRAGMA busy_timeout"))).scalar_one() >= 5000


async def test_storage_keeps_state_and_data_across_engines(database_url: str) -> None:
    engine = create_engine(database_url)
    storage = SQLAlchemyStorage(create_session_maker(engine))
    await storage.set_state(_key(7), "Questionnaire:answering")
    await storage.update_data(_key(7), {"step": "city", "answers": {"name": "Fund"}})
    await engine.dispose()

    engine = create_engine(database_url)  # as after a restart
    storage = SQLAlchemyStorage(create_session_maker(engine))
    assert await storage.get_state(_key(7)) == "Questionnaire:answering"
    assert await storage.get_data(_key(7)) == {"step": "city", "answers": {"name": "Fund"}}
    assert await storage.get_state(_key(8)) is None
    await storage.set_state(_key(7), None)
    await storage.set_data(_key(7), {})
    async with create_session_maker(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(FsmRecord)) == 0
    await engine.dispose()


async def test_saving_a_profile_twice_updates_it_in_place(
    sessions: Sessions,
) -> None:
    await users.touch_user(sessions, 5, "Aigerim", None, is_admin=False)
    first = await profiles.save_profile(sessions, 5, ANSWERS)
    changed = {**ANSWERS, "cross_border": False, "focus_areas": ["ecology"]}
    second = await profiles.save_profile(sessions, 5, changed)
    assert first.id == second.id
    loaded = await profiles.load_profile(sessions, 5)
    assert loaded is not None
    assert loaded.answers["focus_areas"] == ["ecology"]
    assert "cross_border_countries" not in loaded.answers
    async with sessions() as session:
        tags = (await session.scalars(select(OrganisationTag.code))).all()
        assert "AM" not in tags and "children" not in tags
        assert await session.scalar(select(func.count()).select_from(Organisation)) == 1


async def test_fifty_simultaneous_writers_never_see_database_is_locked(
    sessions: Sessions,
) -> None:
    async def one_user(user_id: int) -> None:
        await users.touch_user(sessions, user_id, f"User {user_id}", None, is_admin=False)
        await users.set_language(sessions, user_id, "kk")
        await profiles.save_profile(sessions, user_id, {**ANSWERS, "name": f"Fund {user_id}"})
        storage = SQLAlchemyStorage(sessions)
        await storage.set_state(_key(user_id), "Questionnaire:review")
        await storage.update_data(_key(user_id), {"answers": ANSWERS})

    results = await asyncio.gather(*(one_user(n) for n in range(1, 51)), return_exceptions=True)
    assert [r for r in results if isinstance(r, BaseException)] == []
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Organisation)) == 50
        assert await session.scalar(select(func.count()).select_from(FsmRecord)) == 50


async def test_concurrent_fsm_writes_share_transactions_and_all_reach_the_disk(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    commits: list[int] = []
    event.listen(engine.sync_engine, "commit", lambda _connection: commits.append(1))
    storage = SQLAlchemyStorage(create_session_maker(engine))
    await asyncio.gather(
        *(storage.set_state(_key(n), f"Questionnaire:step{n}") for n in range(1, 101))
    )
    await engine.dispose()
    assert 1 <= len(commits) < 100  # batched, yet every caller waited for its commit

    engine = create_engine(database_url)  # as after a restart
    storage = SQLAlchemyStorage(create_session_maker(engine))
    states = [await storage.get_state(_key(n)) for n in range(1, 101)]
    assert states == [f"Questionnaire:step{n}" for n in range(1, 101)]
    await engine.dispose()


async def test_the_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    """Tables, columns and indexes made by `alembic upgrade head` are what db.models
    declares (a model change without its migration fails here)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'compare.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
    finally:
        await engine.dispose()
    assert differences == []
