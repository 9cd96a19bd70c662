"""A command is never the answer to a step that waits for typed words or presses
(bot/middlewares/prompts.py): every such state of every feature is left by /menu, which
shows the menu, and the words typed next are no answer. Posts' wizard and the questionnaire
leave by their own middlewares (their drafts are parked); any other new state must be listed
in bot/app.py's PROMPT_STATES or WIZARD_STATES."""

from __future__ import annotations

import pytest
from aiogram.fsm.state import StatesGroup

from bot.app import PROMPT_STATES, WIZARD_STATES, create_bot, create_dispatcher
from bot.config import Settings
from bot.handlers.onboarding.states import Questionnaire
from bot.handlers.posts import leaving
from db.engine import Sessions
from tests.conftest import ADMIN_ID
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, make_org
from tests.fake_fixtures import polling
from tests.fake_telegram import FakeTelegram, TgUser

pytestmark = pytest.mark.databases("sqlite")

LEFT_BY_A_COMMAND = sorted(PROMPT_STATES | WIZARD_STATES)
NOT_UNDERSTOOD = "I did not understand that. Please use the menu below or send /help."


def _groups(cls: type[StatesGroup]) -> list[type[StatesGroup]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_groups(sub)]
    return found


def test_every_features_state_is_left_by_a_command() -> None:
    own_ways = {*leaving.WIZARD, *(str(s.state) for s in Questionnaire.__all_states__)}
    states = {
        str(s.state)
        for group in _groups(StatesGroup)
        if group.__module__.startswith("bot.handlers.")
        for s in group.__all_states__
    }
    assert states - own_ways - set(LEFT_BY_A_COMMAND) == set()
    assert set(LEFT_BY_A_COMMAND) <= states  # no stale names


@pytest.mark.parametrize("waiting", LEFT_BY_A_COMMAND)
async def test_menu_leaves_the_state_and_the_next_words_are_no_answer(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, waiting: str
) -> None:
    await make_org(sessions, ADMIN_ID, name="Hope")
    admin = Conversation(fake_telegram, TgUser(ADMIN_ID, "Admin", language_code="en"))
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessions, clock=FrozenClock())
    async with polling(dp, bot, fake_telegram):
        state = dp.fsm.get_context(bot, chat_id=ADMIN_ID, user_id=ADMIN_ID)
        await state.set_state(waiting)
        await admin.send("/menu")
        assert admin.last_text() == "🏠 Main menu. What would you like to do?"
        assert await state.get_state() is None
        await admin.send("Europe/Berlin")  # a zone, a time, a note…: no answer now
        assert admin.texts()[-2] == NOT_UNDERSTOOD
