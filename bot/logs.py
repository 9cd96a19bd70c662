"""The bot's log: human-readable lines (the default) or one JSON object per line for log
collectors (LOG_FORMAT=json), with the update and the user being handled when known, and
the bot's token masked wherever it would appear (a URL in a network error, a traceback)."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

from aiogram.types import Update

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "<token>"
_UPDATE_EVENTS = (
    "message",
    "edited_message",
    "callback_query",
    "inline_query",
    "my_chat_member",
    "chat_member",
    "pre_checkout_query",
    "chosen_inline_result",
)

_handling: ContextVar[tuple[int, int | None] | None] = ContextVar("handling", default=None)


def update_user(update: Update) -> int | None:
    """The Telegram user an update comes from, when it has one."""
    for name in _UPDATE_EVENTS:
        event = getattr(update, name, None)
        sender = getattr(event, "from_user", None)
        if sender is not None:
            return int(sender.id)
    return None


@contextlib.contextmanager
def handling(update: Update) -> Iterator[None]:
    """While an update is handled, every log line names it and its user."""
    token = _handling.set((update.update_id, update_user(update)))
    try:
        yield
    finally:
        _handling.reset(token)


def current() -> tuple[int, int | None] | None:
    """The update being handled (its id and user), if any."""
    return _handling.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, update_id
    and user_id while an update is handled, exc_info (the traceback's text) when any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        known = getattr(record, "handling", None) or current()
        if known is not None:
            line["update_id"], line["user_id"] = known
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc_info"] = record.exc_text
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class MaskSecrets(logging.Filter):
    """Replaces the token (and its secret half) anywhere in a record: its message, its
    arguments and its traceback's text; the record's update and user are kept on it."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        whole = [s for s in secrets if s]
        halves = [s.split(":", 1)[1] for s in whole if ":" in s]
        # longest first, so that the whole token is replaced before its half
        self.secrets = sorted({*whole, *(h for h in halves if len(h) >= 8)}, key=len, reverse=True)

    def _mask(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "handling"):
            record.handling = current()
        message = record.getMessage()
        masked = self._mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._mask(record.exc_text)
        return True


def configure(
    log_format: str, *secrets: str, level: int = logging.INFO, stream: IO[str] | None = None
) -> logging.Handler:
    """Send the root logger's records to `stream` (stderr) in `log_format` ("text" or
    "json"), masking `secrets`; returns the handler (tests remove it)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    json_lines = log_format == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(MaskSecrets(*secrets))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return handler
