"""bot/outages.py: which dependency an error says is away, and one WARNING per outage
and one INFO once it is back, however often the outage is met (a going-down PostgreSQL
answers some calls and refuses others for a moment)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy.exc
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import SendMessage
from redis import exceptions as redis_errors

from bot.outages import DATABASE, REDIS, Outages, dependency_of


def _chained(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


def test_the_dependency_an_error_names() -> None:
    refused = ConnectionRefusedError(111, "Connect call failed")
    assert dependency_of(refused) == DATABASE  # asyncpg's connect
    assert dependency_of(FileNotFoundError(2, "no socket")) == DATABASE
    invalidated = sqlalchemy.exc.DBAPIError("SELECT 1", None, Exception("closed"))
    invalidated.connection_invalidated = True
    assert dependency_of(invalidated) == DATABASE
    assert dependency_of(sqlalchemy.exc.TimeoutError("pool")) == DATABASE
    assert dependency_of(_chained(redis_errors.ConnectionError("gone"), refused)) == REDIS
    assert dependency_of(RuntimeError("in a handler")) is None
    assert dependency_of(sqlalchemy.exc.IntegrityError("INSERT", None, Exception())) is None
    method = SendMessage(chat_id=1, text="x")
    assert dependency_of(_chained(TelegramNetworkError(method, "down"), refused)) is None


def test_one_warning_per_outage_and_one_info_when_it_settles(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outages = Outages(settle=0.0)
    caplog.set_level(logging.INFO, logger="bot.outages")
    for _ in range(50):
        assert outages.noted(ConnectionRefusedError(111, "refused")) == DATABASE
    assert outages.noted(ValueError("not an outage")) is None
    outages.is_back(DATABASE, REDIS)
    outages.is_back(DATABASE)
    levels = [(r.levelname, r.getMessage().split(" (")[0]) for r in caplog.records]
    assert levels == [
        ("WARNING", "the database is unreachable"),
        ("INFO", "the database is reachable again"),
    ]


def test_back_only_after_a_while_without_failures(caplog: pytest.LogCaptureFixture) -> None:
    outages = Outages(settle=3600.0)
    caplog.set_level(logging.INFO, logger="bot.outages")
    outages.noted(ConnectionRefusedError(111, "refused"))
    outages.is_back(DATABASE)  # one call got through: still the same outage
    outages.noted(ConnectionRefusedError(111, "refused"))
    assert outages.away(DATABASE)
    assert [r.levelname for r in caplog.records] == ["WARNING"]


def test_a_failure_right_after_it_is_back_is_the_same_outage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A pooled connection the restart cut, met just after the dependency is back."""
    outages = Outages(settle=0.0, relapse=3600.0)
    caplog.set_level(logging.INFO, logger="bot.outages")
    outages.noted(redis_errors.ConnectionError("refused"))
    outages.is_back(REDIS)
    outages.noted(redis_errors.ConnectionError("Connection closed by server."))
    outages.is_back(REDIS)
    assert [r.levelname for r in caplog.records] == ["WARNING", "INFO"]
    assert not outages.away(REDIS)
