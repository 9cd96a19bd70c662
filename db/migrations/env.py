"""Alembic environment: runs migrations through the application's own async engine."""

import asyncio
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from db.engine import create_engine
from db.models import Base

DEFAULT_URL = "sqlite+aiosqlite:///data/ngo_bridge.db"
# Several workers starting at once on PostgreSQL migrate one at a time: the first applies
# what is pending, the others then find nothing to do.
MIGRATION_LOCK = 7_242_424

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    url = config.attributes.get("url") or os.environ.get("DATABASE_URL")
    if not url:
        from dotenv import dotenv_values

        url = dotenv_values(".env").get("DATABASE_URL") or DEFAULT_URL
    return str(url)


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":  # held until this transaction commits
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        on_version_apply=config.attributes.get("on_version_apply"),  # db/migrate.py logs
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(_url(), foreign_keys=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
