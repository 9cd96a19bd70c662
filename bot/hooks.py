"""What a feature fires for the features above it to act on, without knowing them: a
contact request accepted (contacts fires it; posts makes an accepted internship applicant
a participant). The composition root (bot/app.py) subscribes the listeners and gives the
dispatcher `hooks`, which handlers receive by name, like `sessions`. A listener that fails
is logged and the others still run: what fired it is done and stays done (a listener that
must not miss one also catches up on its own, posts' in its scheduler duty)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from aiogram import Bot

from bot.delivery.notifier import Notifier
from bot.scheduler import Planner
from db.engine import Sessions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestAccepted:
    """A contact request accepted just now (committed), and what a listener works with."""

    request_id: int
    now: datetime
    bot: Bot
    sessions: Sessions
    notifier: Notifier
    planner: Planner


Listener = Callable[[RequestAccepted], Awaitable[object]]


class Hooks:
    """The listeners of each event."""

    def __init__(self, request_accepted: Iterable[Listener] = ()) -> None:
        self._request_accepted = tuple(request_accepted)

    async def fire_request_accepted(self, event: RequestAccepted) -> None:
        """Each listener of an accepted request, in turn."""
        for listener in self._request_accepted:
            try:
                await listener(event)
            except Exception:
                log.exception("a listener of request %s accepted failed", event.request_id)
