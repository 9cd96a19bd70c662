"""Who is calling the Mini App's API: Telegram's signed initData, checked against the
bot's token and its age, then the user as the bot knows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from aiogram.utils.web_app import safe_parse_webapp_init_data

from bot.handlers.webapp import queries
from bot.languages import guess_language
from db.engine import Sessions, reading

MAX_AGE: Final = timedelta(hours=24)  # aiogram checks the signature, not the age
SCHEME: Final = "tma "
INIT_DATA_MAX: Final = 4096  # real initData is well under 1 KB


class Unauthorized(Exception):
    """Missing, malformed, forged or expired initData: 401 and nothing else."""


class Denial(StrEnum):
    """A genuine Telegram user the bot will not serve through the Mini App."""

    UNKNOWN = "unknown"  # never started the bot
    INACTIVE = "inactive"  # blocked the bot
    BANNED = "banned"  # the organisation they belong to was banned


class Denied(Exception):
    """The signature is good but the user may not use the API (`denial` says why)."""

    def __init__(self, denial: Denial, language: str) -> None:
        super().__init__(denial.value)
        self.denial = denial
        self.language = language


@dataclass(frozen=True)
class Launch:
    """Who opened the Mini App, as Telegram signed it."""

    user_id: int
    language_code: str | None  # the Telegram client's language, not the bot's choice


def launch_of(authorization: str | None, token: str, now: datetime) -> Launch:
    """The signed launch data behind `Authorization: tma <initData>`, or Unauthorized."""
    if not authorization or not authorization.startswith(SCHEME):
        raise Unauthorized("no initData")
    init_data = authorization.removeprefix(SCHEME).strip()
    if not init_data or len(init_data) > INIT_DATA_MAX:
        raise Unauthorized("no initData")
    try:
        parsed = safe_parse_webapp_init_data(token, init_data)
    except (ValueError, TypeError, KeyError) as exc:  # bad signature or shape
        raise Unauthorized("bad initData") from exc
    signed_at = parsed.auth_date
    if signed_at.tzinfo is None:
        raise Unauthorized("bad auth_date")
    if not now - MAX_AGE <= signed_at <= now + timedelta(minutes=5):
        raise Unauthorized("expired initData")
    if parsed.user is None:
        raise Unauthorized("no user in initData")
    return Launch(int(parsed.user.id), parsed.user.language_code)


@dataclass(frozen=True)
class Caller:
    """A user allowed to use the API, and the language the bot speaks to them."""

    id: int
    language: str


async def admit(sessions: Sessions, launch: Launch, default_language: str) -> Caller:
    """The user as the bot knows them: known, active, their organisation not banned.
    Their language is the one they chose, else their Telegram client's (as the chat
    guesses it), else `default_language`; a Denied speaks it too."""
    async with reading(sessions) as session:
        row = await queries.caller(session, launch.user_id)
    guessed = guess_language(launch.language_code, default_language)
    if row is None:
        raise Denied(Denial.UNKNOWN, guessed)
    chosen, active, status = row
    language = chosen or guessed
    if not active:
        raise Denied(Denial.INACTIVE, language)
    if status == "banned":
        raise Denied(Denial.BANNED, language)
    return Caller(launch.user_id, language)
