"""Apply pending Alembic migrations from code (used by `python -m bot` and the tests).

The log says which revisions ran, one line each, or that there was nothing to run. Alembic's
own INFO lines (the plugins it sets up on import, its context) are kept out: Alembic is
imported and run with its loggers at WARNING."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationInfo

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


@contextmanager
def _alembic_quiet() -> Iterator[None]:
    alembic = logging.getLogger("alembic")
    level = alembic.level
    alembic.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        alembic.setLevel(level)


def alembic_config(url: str) -> Config:
    """An Alembic configuration aimed at `url`, independent of the working directory."""
    with _alembic_quiet():  # importing Alembic logs a line per plugin it sets up
        from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "db" / "migrations"))
    config.attributes["url"] = url
    config.attributes["configure_logging"] = False
    return config


def _run(url: str, name: str, revision: str) -> None:
    """Run the Alembic command `name` quietly, logging each revision it applies or reverts
    (one line each: its id and title), or that there was nothing to do."""
    done: list[str | None] = []

    def report(*, step: MigrationInfo, **_: Any) -> None:
        # on the way down too: the revision being reverted (a Script, which has a doc)
        title = " ".join(str(getattr(step.up_revision, "doc", "")).split())
        done.append(step.up_revision_id)
        action = "applied" if step.is_upgrade else "reverted"
        log.info("migration %s %s: %s", step.up_revision_id, action, title)

    config = alembic_config(url)
    config.attributes["on_version_apply"] = report
    with _alembic_quiet():
        from alembic import command

        run: Callable[[Config, str], None] = getattr(command, name)
        run(config, revision)
    if not done:
        log.info("database is up to date")


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision`. Runs its own event loop: call it
    before the bot's loop starts, or from a worker thread."""
    _run(url, "upgrade", revision)


def downgrade(url: str, revision: str) -> None:
    """Step the database at `url` down to `revision`."""
    _run(url, "downgrade", revision)
