"""`python -m bot`: check the configuration, migrate the database, run the bot;
`python -m bot backup PATH` and `restore PATH [--force]` (bot/backup.py).

The settings are read before anything heavy is imported (aiogram alone takes seconds to
import), so that a configuration mistake is reported at once."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys

from bot.config import ConfigError, Settings, load_database_settings, load_settings


def _fail(message: str) -> int:
    print(f"ngo-bridge: {message}", file=sys.stderr)
    return 2


def main() -> int:
    """Entry point; a bad configuration ends with one clear line, not a traceback."""
    if sys.argv[1:2] in (["backup"], ["restore"]):
        return _backup_or_restore(sys.argv[1:])
    try:
        settings: Settings = load_settings()
    except ConfigError as exc:
        return _fail(str(exc))
    from bot import logs

    logs.configure(settings.log_format, settings.bot_token.get_secret_value())
    # aiogram logs every handled update at INFO: noise in production, and ~10% of the CPU.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)

    from bot.backup import Refused, hold
    from bot.preflight import check_database, check_redis

    try:
        running = hold(settings.database_url)  # a restore waits until the bot stops
    except Refused as exc:
        return _fail(str(exc))
    problem = check_redis(settings.redis_url) or check_database(settings.database_url)
    if problem is not None:
        return _fail(problem)

    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    from bot.runner import run, run_event_loop

    # The ~250k objects of the imports never die: keep them out of the collector's full
    # passes, which otherwise pause the bot for 200-500 ms now and then (bench/directory.py).
    gc.collect()
    gc.freeze()
    try:
        with contextlib.suppress(KeyboardInterrupt):
            run_event_loop(run(settings))
    except TelegramUnauthorizedError:
        return _fail("BOT_TOKEN was refused by the Bot API")
    except TelegramNetworkError as exc:  # at start; once polling, aiogram retries by itself
        return _fail(f"cannot reach the Bot API: {exc.message}")
    finally:
        if running is not None:
            running.close()
    return 0


def _backup_or_restore(argv: list[str]) -> int:
    try:
        url = load_database_settings().database_url
    except ConfigError as exc:
        return _fail(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # the migrations' lines
    from bot.backup import main as backups

    return backups(argv, url)


if __name__ == "__main__":
    sys.exit(main())
