"""The composition root: settings in, a Bot and a wired Dispatcher out."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Literal

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ChatType, ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.fsm.storage.base import DEFAULT_DESTINY, BaseStorage, DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import ErrorEvent, Update
from aiogram.utils.i18n import I18n
from redis.asyncio import Redis

from bot import redis_clients, shared_texts
from bot.clock import Clock
from bot.commands import setup_commands
from bot.config import Settings
from bot.delivery.broadcaster import Broadcaster
from bot.delivery.limiter import RateLimiter
from bot.delivery.notifier import Notifier
from bot.delivery.pacing import Pacing
from bot.delivery.shared_limiter import SharedRateLimiter
from bot.handlers.broadcasts.router import create_router as broadcasts_router
from bot.handlers.broadcasts.status_board import StatusBoard
from bot.handlers.contacts.asking import send_followups
from bot.handlers.contacts.router import create_router as contacts_router
from bot.handlers.digest.sending import deliver_digests
from bot.handlers.directory.router import create_router as directory_router
from bot.handlers.directory.states import Search
from bot.handlers.events import announcer
from bot.handlers.events.router import create_router as events_router
from bot.handlers.fallback.router import create_router as fallback_router
from bot.handlers.find.channel import Channel
from bot.handlers.find.router import create_router as find_router
from bot.handlers.meetings import reminders as meeting_reminders
from bot.handlers.meetings.router import create_router as meetings_router
from bot.handlers.meetings.states import Proposing
from bot.handlers.menu import views as menu_views
from bot.handlers.menu.router import create_router as menu_router
from bot.handlers.moderation.router import create_router as moderation_router
from bot.handlers.moderation.states import AdminNote
from bot.handlers.onboarding.detour import QuestionnaireDetour
from bot.handlers.onboarding.handover import Handover
from bot.handlers.onboarding.router import create_commands_router as questionnaire_commands
from bot.handlers.onboarding.router import create_router as onboarding_router
from bot.handlers.posts import announcing as call_announcing
from bot.handlers.posts import audience as call_audience
from bot.handlers.posts import closing as post_closing
from bot.handlers.posts import enrolling as post_enrolling
from bot.handlers.posts.leaving import LeaveWizardOnDetour
from bot.handlers.posts.router import create_router as posts_router
from bot.handlers.posts.states import PostWizard, ReviewNote
from bot.handlers.privacy.router import create_router as privacy_router
from bot.handlers.profile import views as profile_views
from bot.handlers.profile.router import create_router as profile_router
from bot.handlers.settings.router import create_router as settings_router
from bot.handlers.settings.states import ZonePrompt
from bot.handlers.start.router import create_router as start_router
from bot.handlers.stats.router import create_router as stats_router
from bot.handlers.team import views as team_views
from bot.handlers.team.router import create_router as team_router
from bot.handlers.trust.reminders import send_badge_reminders
from bot.handlers.trust.router import create_router as trust_router
from bot.handlers.trust.states import Trust
from bot.held import HeldUpdates
from bot.hooks import Hooks
from bot.i18n import UserLocaleMiddleware, create_i18n
from bot.logs import handling
from bot.metrics import Metrics
from bot.middlewares.private import PrivateChatsOnly
from bot.middlewares.prompts import LeavePromptOnCommand
from bot.middlewares.throttle import Throttle
from bot.middlewares.user import UserMiddleware
from bot.miniapp import MiniAppLink, set_menu_button
from bot.outages import OUTAGES
from bot.response_types import pin_response_types
from bot.scheduler import Duties, Duty, Planner, Runtime
from bot.users import KnownUsers
from db.engine import Sessions
from db.fsm_storage import SQLAlchemyStorage

log = logging.getLogger(__name__)

# Users and questionnaire states remembered in memory (SQLite deployments only).
MEMORY_CACHE_SIZE = 50_000


class BridgeDispatcher(Dispatcher):
    """A Dispatcher that lets the FSM storage read each key once per update."""

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        """Handle one update inside the storage's per-update scope; every log line
        written meanwhile names the update and its user (bot/logs.py)."""
        with SQLAlchemyStorage.update_scope(), handling(update):
            return await super().feed_update(bot, update, **kwargs)


def limiter_for(settings: Settings, redis: Redis | None = None) -> RateLimiter:
    """The pace of everything one Bot sends: BROADCAST_RATE, and CHAT_INTERVAL per chat;
    kept in `redis` when given, so that every worker sharing it shares the pace."""
    if redis is not None:
        return SharedRateLimiter(settings.broadcast_rate, redis, per_chat=settings.chat_interval)
    return RateLimiter(settings.broadcast_rate, per_chat=settings.chat_interval)


def create_bot(settings: Settings, limiter: RateLimiter | None = None) -> Bot:
    """A Bot speaking HTML, aimed at TELEGRAM_API_BASE when it is set, pacing every new
    message through `limiter` (one at BROADCAST_RATE unless given; see bot.delivery)."""
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
    bot.session.middleware(Pacing(limiter or limiter_for(settings)))
    return bot


def create_dispatcher(
    settings: Settings,
    sessions: Sessions,
    *,
    storage: BaseStorage | None = None,
    i18n: I18n | None = None,
    clock: Clock | None = None,
    metrics: Metrics | None = None,
) -> Dispatcher:
    """Wire storage, middlewares and routers. Handlers receive `sessions`, `settings`,
    `user`, `i18n`, `clock`, `notifier`, `broadcaster`, `planner`, `handover`, `hooks` and
    `state` by name; `metrics` (bot/metrics.py, a fresh one unless given) counts every update."""
    i18n = i18n or create_i18n(settings.default_language)
    # On SQLite this process is the only writer, so what it wrote can be remembered.
    cache_size = MEMORY_CACHE_SIZE if settings.is_sqlite else 0
    known_users = KnownUsers(sessions, settings.admin_ids, cache_size=cache_size)
    clock = clock or Clock()
    broadcaster = Broadcaster(
        sessions,
        known_users,
        clock,
        StatusBoard(i18n).show,
        rate=settings.broadcast_rate,
        clustered=not settings.is_sqlite,  # PostgreSQL: workers claim rows (bot/cluster.py)
        lease=settings.lease_seconds,
    )
    if storage is None:
        storage = _storage(settings, sessions, cache_size)
    isolation = (
        # A worker killed mid-update leaves its user's lock: it lapses after a lease, so
        # the redelivered update waits that long, not aiogram's default minute.
        storage.create_isolation(lock_kwargs={"timeout": max(settings.lease_seconds, 5.0)})
        if isinstance(storage, RedisStorage)
        else SimpleEventIsolation()  # one process: a lock per user in memory
    )
    dp = BridgeDispatcher(
        storage=storage,
        events_isolation=isolation,
        sessions=sessions,
        settings=settings,
        i18n=i18n,
        users=known_users,
        clock=clock,
        notifier=Notifier(known_users, i18n, settings.default_language),
        broadcaster=broadcaster,
        planner=Planner(clock),
        handover=HANDOVER,
        hooks=HOOKS,
        metrics=metrics or Metrics(),
    )
    dp.update.outer_middleware(dp["metrics"].on_update)  # first: it sees every update
    dp.errors.outer_middleware(dp["metrics"].on_error)
    dp.message.filter(F.chat.type == ChatType.PRIVATE)
    dp.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    dp.update.outer_middleware(PrivateChatsOnly())  # next: groups reach nothing below
    dp.update.outer_middleware(UserMiddleware(known_users))
    if settings.webapp_url is not None:  # the buttons that open the Mini App
        dp.update.outer_middleware(MiniAppLink(str(settings.webapp_url)))
        dp.startup.register(set_menu_button)
    throttle = Throttle(settings.throttle, i18n, settings.redis_url)
    dp.message.outer_middleware(throttle)
    dp.callback_query.outer_middleware(throttle)
    dp.message.outer_middleware(LeavePromptOnCommand(PROMPT_STATES))
    UserLocaleMiddleware(i18n).setup(dp)
    dp.message.outer_middleware(QuestionnaireDetour())  # inside the locale: it speaks
    # A command or another feature's press midway through a post parks its draft.
    dp.message.outer_middleware(LeaveWizardOnDetour())
    dp.callback_query.outer_middleware(LeaveWizardOnDetour())
    dp.include_routers(*create_routers())
    if log.isEnabledFor(logging.DEBUG):
        log.debug("routers, in the order they are tried:\n%s", router_tree(dp))
    dp.errors.register(_on_error)
    dp.startup.register(_on_startup)
    dp.shutdown.register(broadcaster.shutdown)
    dp.shutdown.register(throttle.close)
    dp.shutdown.register(storage.close)
    return dp


class RedisKeys(DefaultKeyBuilder):
    """Redis keys of FSM state: the chat's own as they always were; another destiny (an
    admin's parked questionnaire) in keys of its own, with the destiny's name."""

    def build(self, key: StorageKey, part: Literal["data", "state", "lock"] | None = None) -> str:
        if key.destiny == DEFAULT_DESTINY:
            return super().build(key, part)
        named = DefaultKeyBuilder(prefix=self.prefix, separator=self.separator, with_destiny=True)
        return named.build(key, part)


def _storage(settings: Settings, sessions: Sessions, cache_size: int) -> BaseStorage:
    """Questionnaire state: in Redis when REDIS_URL is set (webhook workers share it, and
    one user's updates are handled one at a time across them), else in the database."""
    if settings.redis_url is not None:
        return RedisStorage.from_url(
            settings.redis_url,
            connection_kwargs=redis_clients.options(),  # survives a Redis restart
            key_builder=RedisKeys(prefix="ngo_bridge"),
        )
    return SQLAlchemyStorage(sessions, cache_size=cache_size)


async def _on_startup(
    bot: Bot, i18n: I18n, settings: Settings, users: KnownUsers, broadcaster: Broadcaster
) -> None:
    admins = await users.languages(settings.admin_ids, settings.default_language)
    await setup_commands(bot, i18n, admins)
    await broadcaster.resume(bot)  # broadcasts a stopped process left unfinished


# Telegram's answers that mean "this user cannot be written to": they blocked the bot, or
# deleted their account, or the chat is gone.
_UNREACHABLE = ("chat not found", "user is deactivated", "bot was blocked")
# Answers that only mean the user was quicker than us: the message was deleted, the button
# is old, the press was already answered.
_USER_WAS_ODD = (
    "message to edit not found",
    "message can't be edited",
    "message to delete not found",
    "query is too old",
    "message is not modified",
)


def _person(update: Update) -> int | None:
    event = update.message or update.callback_query or update.edited_message
    sender = event.from_user if event is not None else None
    return sender.id if sender is not None else None


async def _on_error(
    event: ErrorEvent,
    users: KnownUsers | None = None,
    redelivered: bool = False,
    held_updates: HeldUpdates | None = None,
) -> Any:
    """One place for what a handler could not finish. A user who cannot be written to is
    marked inactive and a message deleted under our feet ends quietly (one log line each,
    no traceback: that was a user, not a fault); an update that met the database or Redis
    away goes back to the webhook's intake when Telegram delivers it again (`redelivered`:
    it answers 503, bot/webhook.py) or, when polling, is held and handled again once they
    are back (`held_updates`, bot/held.py); anything else is logged with its traceback and
    the user is told, once, that something went wrong."""
    update, exc = event.update, event.exception
    if (redelivered or held_updates is not None) and OUTAGES.noted(exc) is not None:
        if redelivered or held_updates is None:
            return UNHANDLED  # raised again to the intake: not handled, nobody apologised to
        held_updates.hold(update)  # polling: Telegram will not deliver it again
        return True
    reason = exc.message.lower() if isinstance(exc, TelegramAPIError) else ""
    person = _person(update)
    if isinstance(exc, TelegramForbiddenError) or any(r in reason for r in _UNREACHABLE):
        if person is not None and users is not None:
            await users.mark_blocked(person)
        log.info("update %s: user %s cannot be written to (%s)", update.update_id, person, reason)
        return True
    if isinstance(exc, TelegramBadRequest) and any(r in reason for r in _USER_WAS_ODD):
        log.info("update %s: %s", update.update_id, reason)
        return True
    log.exception("update %s failed", update.update_id, exc_info=exc)
    try:
        if update.message is not None:
            await update.message.answer(shared_texts.error_happened())
        elif update.callback_query is not None:
            await update.callback_query.answer(shared_texts.error_happened(), show_alert=True)
    except TelegramAPIError as apology:  # blocked, or the press was answered already
        log.info("could not tell user %s about the failure: %s", person, apology.message)
    return True


# The screens the questionnaire hands over to (it imports neither feature: both import it).
HANDOVER = Handover(
    show_profile=profile_views.show_profile,
    save_and_show_profile=profile_views.save_and_show_profile,
    offer_existing=team_views.offer_existing,
)

# What features do when another's state changes (bot/hooks.py): an internship's applicant
# whose request is accepted (contacts) takes part (posts).
HOOKS = Hooks(request_accepted=(post_enrolling.on_request_accepted,))

# States that only wait for typed words: a command leaves them.
PROMPT_STATES = frozenset(
    str(s.state)
    for s in (
        Search.text, Trust.registration, Trust.website, AdminNote.note, ZonePrompt.zone,
        ReviewNote.writing, PostWizard.answering, *Proposing.__all_states__,
    )
)  # fmt: skip


def create_routers() -> list[Router]:
    """Fresh routers (a router can belong to one dispatcher only), in the order they are
    tried; the catch-all is last."""
    return [
        contacts_router(),  # deep links go before the plain /start
        meetings_router(),  # calls arranged from introductions
        team_router(),  # invitations are deep links too
        find_router(
            menu_views.show_menu
        ),  # and links to a call or an offer (call_<id>, event_<id>)
        start_router(),
        questionnaire_commands(),  # /help, /cancel inside the questionnaire: before the menu's
        menu_router(),
        profile_router(),
        stats_router(),
        moderation_router(),
        broadcasts_router(),
        events_router(),  # the admins' wizard first, then users' screens
        posts_router(),
        settings_router(),
        directory_router(),
        trust_router(),
        privacy_router(),
        onboarding_router(),
        fallback_router(menu_views.show_menu),  # the menu after "not understood"
    ]


async def _deliver_due(runtime: Runtime) -> int:
    """Event notices, call reminders, partner call announcements (a batch of organisations
    of each call whose audience is still to be queued first), then posts closing at their
    deadline (and those not accepted told), due now."""
    sent = await announcer.deliver_due(runtime)
    sent += await meeting_reminders.deliver_due(runtime)
    await call_audience.expand_due(runtime)
    sent += await call_announcing.deliver_due(runtime)
    return sent + await post_closing.run_duty(runtime)


async def _next_due(sessions: Sessions) -> datetime | None:
    """The earliest pending event notice, publication, call reminder, partner call
    announcement (now, while a call's audience is still being queued), or post to close
    (or poster to ask whether a partner was found)."""
    found = [
        await announcer.next_due(sessions),
        await meeting_reminders.next_due(sessions),
        await call_audience.next_due(sessions),
        await call_announcing.next_due(sessions),
        await post_closing.next_due(sessions),
    ]
    moments = [moment for moment in found if moment is not None]
    return min(moments) if moments else None


async def _give_up_interrupted(sessions: Sessions, now: datetime) -> int:
    """At start: event notices, call reminders and partner call announcements a stopped
    process had claimed."""
    given_up = await announcer.give_up_interrupted(sessions, now)
    given_up += await call_announcing.give_up_interrupted(sessions, now)
    return given_up + await meeting_reminders.give_up_interrupted(sessions, now)


def scheduler_duties(settings: Settings | None = None) -> Duties:
    """What the scheduler's jobs do: event notices, call reminders and partner call
    announcements when due; follow-ups, badge reminders, weekly digests and (with
    CHANNEL_ID set) the public channel's posts on every sweep, the channel also whenever
    the scheduler is woken (an approval, a closing, a cancellation: `Planner.wake_at`)."""
    channel: tuple[Duty, ...] = ()
    if settings is not None and settings.channel is not None:
        channel = (Channel(settings.channel, settings.channel_locale, settings.admin_ids),)
    return Duties(
        deliver_due=_deliver_due,
        next_due=_next_due,
        give_up_interrupted=_give_up_interrupted,
        periodic=(
            send_followups,
            send_badge_reminders,
            deliver_digests,
            *channel,
        ),
        on_wake=channel,
    )


def router_tree(router: Router, depth: int = 0) -> str:
    """The routers under `router`, one per line, indented by nesting, in the order tried."""
    lines = ["    " * depth + (router.name or "?")]
    lines += [router_tree(sub, depth + 1) for sub in router.sub_routers]
    return "\n".join(lines)
