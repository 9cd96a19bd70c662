"""The time, injected: handlers and jobs ask a Clock, so tests can move it forward."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        return datetime.now(UTC)
