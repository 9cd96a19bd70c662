"""The broadcast's screens: what will be sent and the audience screen, the pickers, and the
live status once Send is pressed."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import screens
from bot.clock import Clock
from bot.config import Settings
from bot.delivery.broadcast_rows import Audience, Content
from bot.delivery.broadcaster import Broadcaster, Progress
from bot.handlers.broadcasts import keyboards, management, texts
from bot.handlers.broadcasts.callbacks import AudienceKind
from bot.handlers.broadcasts.states import Broadcasting
from bot.i18n import current_locale
from bot.navigation import Refused
from db.engine import Sessions


async def open_setup(
    message: Message,
    content: Content,
    state: FSMContext,
    bot: Bot,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
) -> None:
    """What will be sent, as its recipients will see it, then the audience screen (everyone,
    to start with), on which the broadcast is prepared."""
    if content.text is not None:
        await message.answer(content.text)
    else:
        assert content.from_chat_id is not None and content.message_id is not None
        await bot.copy_message(message.chat.id, content.from_chat_id, content.message_id)
    audience = Audience()
    reach = await management.count_audience(
        sessions, audience, clock.now(), settings.default_language
    )
    panel = await message.answer(
        texts.setup(audience, reach), reply_markup=keyboards.setup(audience, reach)
    )
    await state.set_state(Broadcasting.setup)
    await state.set_data(
        {
            "content": {
                "text": content.text,
                "from_chat_id": content.from_chat_id,
                "message_id": content.message_id,
            },
            "audience": audience.dump(),
            "panel": panel.message_id,
        }
    )


async def show_picker(
    query: CallbackQuery,
    message: Message,
    kind: AudienceKind,
    audience: Audience,
    state: FSMContext,
) -> None:
    """Store the audience, and show the picker of `kind`."""
    await state.update_data(audience=audience.dump())
    await screens.show(
        message, texts.picker(kind.value, audience), keyboards.picker(kind, audience), edit=True
    )
    await query.answer()


async def show_setup(
    query: CallbackQuery,
    message: Message,
    audience: Audience,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
) -> None:
    """Store the audience, and show the audience screen with its reach."""
    await state.update_data(audience=audience.dump())
    now = clock.now()
    reach = await management.count_audience(sessions, audience, now, settings.default_language)
    await screens.show(
        message, texts.setup(audience, reach), keyboards.setup(audience, reach), edit=True
    )
    await query.answer()


async def send(
    query: CallbackQuery,
    message: Message,
    data: dict[str, object],
    audience: Audience,
    state: FSMContext,
    sessions: Sessions,
    settings: Settings,
    clock: Clock,
    broadcaster: Broadcaster,
) -> None:
    """Write every recipient's row, turn the screen into the live status, start sending."""
    stored = data.get("content")
    if not isinstance(stored, dict):
        raise Refused(texts.expired)
    content = Content(**{k: stored.get(k) for k in ("text", "from_chat_id", "message_id")})
    admin = (query.from_user.id, current_locale())
    summary = await management.create(
        sessions, admin, content, audience, clock.now(), settings.default_language
    )
    if summary is None:
        await query.answer(texts.nobody(), show_alert=True)
        return
    await state.clear()  # a second press (handled after this one) finds nothing to send
    progress = Progress(summary, summary.counts, 0.0, None, finished=False)
    shown = await screens.show(
        message, texts.status(progress), keyboards.running(summary.id), edit=True
    )
    await management.attach_status(sessions, summary.id, shown.chat.id, shown.message_id)
    assert message.bot is not None
    broadcaster.launch(message.bot, summary.id)
    await query.answer()
