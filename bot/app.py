"""The composition root: settings in, a Bot and a wired Dispatcher out."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatType, ParseMode
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import ErrorEvent, Update
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.commands import setup_commands
from bot.config import Settings
from bot.delivery.broadcaster import Broadcaster
from bot.delivery.limiter import RateLimiter, register
from bot.delivery.pacing import Pacing
from bot.delivery.status_board import StatusBoard
from bot.handlers import create_routers
from bot.i18n import UserLocaleMiddleware, create_i18n
from bot.jobs import Planner
from bot.middlewares.prompts import LeavePromptOnCommand
from bot.middlewares.throttle import Throttle
from bot.middlewares.user import UserMiddleware
from bot.notifier import Notifier
from bot.response_types import pin_response_types
from bot.services.users import UserDirectory
from bot.ui import texts
from db.fsm_storage import SQLAlchemyStorage

log = logging.getLogger(__name__)

# Users and questionnaire states remembered in memory (SQLite deployments only).
MEMORY_CACHE_SIZE = 50_000


class BridgeDispatcher(Dispatcher):
    """A Dispatcher that lets the FSM storage read each key once per update."""

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        """Handle one update inside the storage's per-update scope."""
        with SQLAlchemyStorage.update_scope():
            return await super().feed_update(bot, update, **kwargs)


def create_bot(settings: Settings) -> Bot:
    """A Bot speaking HTML, aimed at TELEGRAM_API_BASE when it is set, pacing every new
    message at BROADCAST_RATE (see bot.delivery)."""
    session = None
    if settings.telegram_api_base is not None:
        base = str(settings.telegram_api_base).rstrip("/")
        session = AiohttpSession(api=TelegramAPIServer.from_base(base))
    bot = Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    pin_response_types()
    limiter = RateLimiter(settings.broadcast_rate)
    bot.session.middleware(Pacing(limiter))
    register(bot, limiter)
    return bot


def create_dispatcher(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    storage: BaseStorage | None = None,
    i18n: I18n | None = None,
    clock: Clock | None = None,
) -> Dispatcher:
    """Wire storage, middlewares and routers. Handlers receive `sessions`, `settings`,
    `user`, `i18n`, `clock`, `notifier`, `broadcaster`, `planner` and `state` by name."""
    i18n = i18n or create_i18n(settings.default_language)
    # On SQLite this process is the only writer, so what it wrote can be remembered.
    cache_size = MEMORY_CACHE_SIZE if settings.is_sqlite else 0
    directory = UserDirectory(sessions, settings.admin_ids, cache_size=cache_size)
    clock = clock or Clock()
    broadcaster = Broadcaster(
        sessions,
        directory,
        clock,
        StatusBoard(i18n).show,
        rate=settings.broadcast_rate,
    )
    if storage is None:
        storage = _storage(settings, sessions, cache_size)
    isolation = (
        storage.create_isolation()
        if isinstance(storage, RedisStorage)
        else SimpleEventIsolation()  # one process: a lock per user in memory
    )
    dp = BridgeDispatcher(
        storage=storage,
        events_isolation=isolation,
        sessions=sessions,
        settings=settings,
        i18n=i18n,
        users=directory,
        clock=clock,
        notifier=Notifier(directory, i18n, settings.default_language),
        broadcaster=broadcaster,
        planner=Planner(clock),
    )
    dp.message.filter(F.chat.type == ChatType.PRIVATE)
    dp.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    dp.update.outer_middleware(UserMiddleware(directory))
    throttle = Throttle(settings.throttle, i18n, settings.redis_url)
    dp.message.outer_middleware(throttle)
    dp.callback_query.outer_middleware(throttle)
    dp.message.outer_middleware(LeavePromptOnCommand())
    UserLocaleMiddleware(i18n).setup(dp)
    dp.include_routers(*create_routers())
    dp.errors.register(_on_error)
    dp.startup.register(_on_startup)
    dp.shutdown.register(broadcaster.shutdown)
    dp.shutdown.register(throttle.close)
    dp.shutdown.register(storage.close)
    return dp


def _storage(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], cache_size: int
) -> BaseStorage:
    """Questionnaire state: in Redis when REDIS_URL is set (webhook workers share it, and
    one user's updates are handled one at a time across them), else in the database."""
    if settings.redis_url is not None:
        keys = DefaultKeyBuilder(prefix="ngo_bridge")
        return RedisStorage.from_url(settings.redis_url, key_builder=keys)
    return SQLAlchemyStorage(sessions, cache_size=cache_size)


async def _on_startup(
    bot: Bot, i18n: I18n, settings: Settings, users: UserDirectory, broadcaster: Broadcaster
) -> None:
    admins = await users.languages(settings.admin_ids, settings.default_language)
    await setup_commands(bot, i18n, admins)
    await broadcaster.resume(bot)  # broadcasts a stopped process left unfinished


async def _on_error(event: ErrorEvent, i18n: I18n | None = None) -> bool:
    """Log the failure and tell the user, instead of leaving them without an answer."""
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    update = event.update
    try:
        if update.message is not None:
            await update.message.answer(texts.error_happened())
        elif update.callback_query is not None:
            await update.callback_query.answer(texts.error_happened(), show_alert=True)
    except Exception:  # the reply itself failed (network, blocked): the log has it
        log.warning("could not tell the user about the failure", exc_info=True)
    return True
