"""One router per feature; `create_routers` gives them in the order they must be tried."""

from aiogram import Router

from bot.handlers import (
    admin,
    broadcast,
    contacts,
    event_admin,
    events,
    fallback,
    menu,
    moderation,
    onboarding,
    privacy,
    profile,
    search,
    start,
    trust,
)


def create_routers() -> list[Router]:
    """Fresh routers (a router can belong to one dispatcher only); the catch-all is last."""
    return [
        contacts.create_router(),  # deep links go before the plain /start
        start.create_router(),
        menu.create_router(),
        profile.create_router(),
        admin.create_router(),
        moderation.create_router(),
        broadcast.create_router(),
        event_admin.create_router(),
        events.create_router(),
        search.create_router(),
        trust.create_router(),
        privacy.create_router(),
        onboarding.create_router(),
        fallback.create_router(),
    ]
