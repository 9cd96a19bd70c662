"""The tiny bot the fake Telegram server's own tests run: /start with a language keyboard,
callbacks that edit it, echo and media handlers."""

from __future__ import annotations

from aiogram import Bot, F, Router, html
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Қазақша", callback_data="lang:kk"),
                InlineKeyboardButton(text="Русский", callback_data="lang:ru"),
            ],
            [InlineKeyboardButton(text="Same again", callback_data="same")],
            [InlineKeyboardButton(text="Website", url="https://example.org")],
        ]
    )


def build_router() -> Router:
    """/start with a keyboard, callbacks that edit it, echo and media handlers."""
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("<b>Choose</b> a language", reply_markup=language_keyboard())

    @router.message(Command("args"))
    async def args(message: Message, command: CommandObject) -> None:
        entity_types = [e.type for e in message.entities or []]
        await message.answer(f"args={html.quote(command.args or '')} entities={entity_types}")

    @router.message(Command("menu"))
    async def menu(message: Message) -> None:
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Profile"), KeyboardButton(text="Search")]],
            resize_keyboard=True,
        )
        await message.answer("Main menu", reply_markup=keyboard)

    @router.callback_query(F.data.startswith("lang:"))
    async def pick(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        assert callback.data is not None
        code = callback.data.removeprefix("lang:")
        await callback.message.edit_text(
            f"Language: <i>{code}</i>", reply_markup=callback.message.reply_markup
        )
        await callback.answer(f"Saved {code}")

    @router.callback_query(F.data == "same")
    async def same(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        try:
            await callback.message.edit_text(
                callback.message.html_text, reply_markup=callback.message.reply_markup
            )
        except TelegramBadRequest as exc:
            if "message is not modified" not in exc.message:
                raise
            await callback.answer("Nothing changed", show_alert=True)
            return
        await callback.answer("Edited?!")

    @router.message(F.photo)
    async def photo(message: Message, bot: Bot) -> None:
        assert message.photo
        data = await bot.download(message.photo[-1].file_id)
        assert data is not None
        await message.answer(f"photo {len(data.read())} bytes, caption={message.caption}")

    @router.message(F.document)
    async def document(message: Message) -> None:
        assert message.document
        await message.answer(f"document {message.document.file_name}")

    @router.message(F.sticker)
    async def sticker(message: Message) -> None:
        assert message.sticker
        await message.answer(f"sticker {message.sticker.emoji}")

    @router.message(F.voice)
    async def voice(message: Message) -> None:
        assert message.voice
        await message.answer(f"voice {message.voice.duration}s")

    @router.message(F.location)
    async def location(message: Message) -> None:
        assert message.location
        await message.answer(f"location {message.location.latitude:.2f}")

    @router.message(F.contact)
    async def contact(message: Message) -> None:
        assert message.contact
        await message.answer(f"contact {message.contact.phone_number}")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        assert message.text is not None
        await message.answer(html.quote(message.text))

    return router
