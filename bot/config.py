"""Runtime configuration, read once from the environment and `.env` (docs/design.md, section 5)."""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import cached_property
from typing import Annotated, Literal, TypeVar
from urllib.parse import urlsplit

from limits import parse
from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.languages import LANGUAGES

TOKEN_PATTERN = r"^\d{1,20}:[A-Za-z0-9_-]{20,}$"
SECRET_PATTERN = r"[A-Za-z0-9_-]{1,256}"  # what Telegram accepts as a webhook secret


DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/ngo_bridge.db"


def _database_url(value: str) -> str:
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise ValueError("not an SQLAlchemy URL") from exc
    if url.drivername not in {"sqlite+aiosqlite", "postgresql+asyncpg"}:
        raise ValueError("use sqlite+aiosqlite:///path.db or postgresql+asyncpg://…")
    return value


VIDEO_BASE_MAX = 200  # + "/" + a 22-character room name fits a call's link column (300)


class Settings(BaseSettings):
    """Every setting the bot reads; see `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    bot_token: SecretStr
    telegram_api_base: AnyHttpUrl | None = None
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_language: str = "ru"
    webhook_url: AnyHttpUrl | None = None
    webhook_secret: SecretStr | None = None
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_host: str = "0.0.0.0"  # every interface: the reverse proxy in front decides
    broadcast_rate: float = Field(default=25, gt=0, le=1000)
    # Seconds between messages into one chat after a short burst (Telegram: about one).
    chat_interval: float = Field(default=1.0, ge=0, le=10)
    # Updates one user may send; beyond it they are asked to slow down (limits' notation).
    throttle: str = "30/10 seconds"
    # The Mini App (the directory on one screen): its public HTTPS address turns it on.
    webapp_url: AnyHttpUrl | None = None
    webapp_port: int = Field(default=8081, ge=1, le=65535)  # its own server when polling
    # Several workers (PostgreSQL): how long the scheduler's lease and a worker's batch of
    # broadcast rows last unless renewed (every third of it); a dead worker's part is
    # taken over after at most about 1⅓ of it.
    lease_seconds: float = Field(default=15, ge=1, le=300)
    # Events organisations post: "all" wait for an admin's review; "unverified" lets those
    # of an organisation with a valid trust badge publish at once.
    post_review: Literal["all", "unverified"] = "all"
    # The optional public channel: approved partner calls and hosted events are posted
    # there (a numeric id like -1001234567890, or @name), in CHANNEL_LANGUAGE (by default
    # DEFAULT_LANGUAGE); the bot must be its administrator.
    channel_id: str | None = None
    channel_language: str | None = None
    # Operations (README, "Operations"): /healthz, /readyz and /metrics on a server of
    # their own when polling (0: none; the webhook's and the Mini App's serve them too),
    # the token /metrics asks of anyone (else: loopback only), and the log's format.
    health_port: int = Field(default=8082, ge=0, le=65535)
    health_host: str = "127.0.0.1"
    metrics_token: SecretStr | None = None
    log_format: Literal["text", "json"] = "text"
    # Agreed video calls: this server's address, then "/" and an unguessable room name.
    video_base_url: AnyHttpUrl = Field(default=AnyHttpUrl("https://meet.jit.si"))

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not re.fullmatch(TOKEN_PATTERN, value.get_secret_value().strip()):
            raise ValueError("expected a token like 123456:ABC-DEF… from @BotFather")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        return _database_url(value)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            try:
                return frozenset(int(part) for part in parts)
            except ValueError as exc:
                raise ValueError("expected comma-separated numeric Telegram user ids") from exc
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url_shape(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
            raise ValueError("expected redis://host:port/db, rediss://… or unix://…")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("use 1 to 256 characters: letters, digits, _ and -")
        return value

    @field_validator("webapp_url")
    @classmethod
    def _webapp_https(cls, value: AnyHttpUrl | None) -> AnyHttpUrl | None:
        if value is not None and value.scheme != "https":
            raise ValueError("Telegram opens Mini Apps over HTTPS only: use https://…")
        return value

    @field_validator("video_base_url")
    @classmethod
    def _video_base_short(cls, value: AnyHttpUrl) -> AnyHttpUrl:
        if len(str(value)) > VIDEO_BASE_MAX:
            raise ValueError(f"use at most {VIDEO_BASE_MAX} characters: the room name follows")
        return value

    @field_validator("throttle")
    @classmethod
    def _rate_shape(cls, value: str) -> str:
        try:
            rate = parse(value)
        except ValueError as exc:
            raise ValueError("expected a rate like 30/10 seconds or 5/minute") from exc
        if rate.amount < 1:
            raise ValueError("the number of updates must be at least 1, e.g. 30/10 seconds")
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"expected one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("channel_language")
    @classmethod
    def _known_channel_language(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        return cls._known_language(value)

    @field_validator("channel_id", mode="before")
    @classmethod
    def _channel_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        if not re.fullmatch(r"-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31}", text):
            raise ValueError("expected a channel's numeric id (-100…) or its @name")
        return text

    @property
    def channel(self) -> int | str | None:
        """The channel's chat id (a number) or @name, if one is set."""
        if self.channel_id is None:
            return None
        return self.channel_id if self.channel_id.startswith("@") else int(self.channel_id)

    @property
    def channel_locale(self) -> str:
        """The language the channel is written in."""
        return self.channel_language or self.default_language

    def webhook_secret_token(self) -> str:
        """Telegram's secret header for the webhook: WEBHOOK_SECRET, or when unset one
        derived from the token, so that a forged POST is always refused."""
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value()
        token = self.bot_token.get_secret_value().encode()
        return hmac.new(token, b"ngo-bridge webhook", hashlib.sha256).hexdigest()

    def webapp_path(self) -> str:
        """The path the Mini App is served under ("" for the root), from WEBAPP_URL."""
        return urlsplit(str(self.webapp_url or "")).path.rstrip("/")

    @cached_property
    def is_sqlite(self) -> bool:
        """Whether the database is an SQLite file."""
        return self.database_url.startswith("sqlite")


class DatabaseSettings(BaseSettings):
    """DATABASE_URL alone, as `Settings` reads it: what `python -m bot backup` and
    `restore` need (no token)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        return _database_url(value)


class ConfigError(Exception):
    """Configuration is unusable; the message is one line naming the variable."""


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one clear `ConfigError` line."""
    return _load(Settings, **overrides)


def load_database_settings(**overrides: object) -> DatabaseSettings:
    """DATABASE_URL alone, a mistake as one `ConfigError` line."""
    return _load(DatabaseSettings, **overrides)


SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def _load(kind: type[SettingsT], **overrides: object) -> SettingsT:
    try:
        return kind(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        variable = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        if error["type"] == "missing":
            raise ConfigError(
                f"{variable} is not set (put it in the environment or .env)"
            ) from None
        reason = error["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{variable} is invalid: {reason}") from None
