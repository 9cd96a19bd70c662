"""`python -m bot`: check the configuration, migrate the database, run the bot."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys

from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

from bot.config import ConfigError, Settings, load_settings
from bot.runner import run, run_event_loop
from db.migrate import upgrade


def main() -> int:
    """Entry point; a bad configuration ends with one clear line, not a traceback."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # aiogram logs every handled update at INFO: noise in production, and ~10% of the CPU.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    try:
        settings: Settings = load_settings()
    except ConfigError as exc:
        print(f"ngo-bridge: {exc}", file=sys.stderr)
        return 2
    try:
        upgrade(settings.database_url)
    except Exception as exc:  # an unreachable or unwritable database, said in one line
        print(f"ngo-bridge: DATABASE_URL cannot be used: {exc}", file=sys.stderr)
        return 2
    # The ~250k objects of the imports never die: keep them out of the collector's full
    # passes, which otherwise pause the bot for 200-500 ms now and then (bench/directory.py).
    gc.collect()
    gc.freeze()
    try:
        with contextlib.suppress(KeyboardInterrupt):
            run_event_loop(run(settings))
    except TelegramUnauthorizedError:
        print("ngo-bridge: BOT_TOKEN was refused by the Bot API", file=sys.stderr)
        return 2
    except TelegramNetworkError as exc:  # at start; once polling, aiogram retries by itself
        print(f"ngo-bridge: cannot reach the Bot API: {exc.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
