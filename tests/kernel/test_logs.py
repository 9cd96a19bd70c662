"""LOG_FORMAT=json: one JSON object per line, naming the update and the user while one is
handled; the token masked everywhere, and no contact detail in any line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import logs
from bot.config import ConfigError, Settings, load_settings
from db.engine import Sessions
from tests.conftest import TEST_BOT_TOKEN
from tests.conversation import Conversation
from tests.directory_helpers import FrozenClock, bot_with_clock, make_org
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import tr

ASKER, OWNER = 7301, 7302
PHONES = ("+374 10 123456", "+7 701 123 45 67")


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The root logger's lines at INFO, as `python -m bot` writes them with LOG_FORMAT=json
    (and aiogram's line per update, which production leaves out, kept)."""
    root, event = logging.getLogger(), logging.getLogger("aiogram.event")
    levels = root.level, event.level
    sink = io.StringIO()
    handler = logs.configure("json", TEST_BOT_TOKEN, stream=sink)
    event.setLevel(logging.INFO)
    try:
        yield sink
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        event.setLevel(levels[1])


def _lines(sink: io.StringIO) -> list[dict[str, object]]:
    text = sink.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]  # each line parses alone


async def test_a_conversation_with_contacts_logs_json_without_token_or_phones(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram, json_log: io.StringIO
) -> None:
    json_settings = settings.model_copy(update={"log_format": "json"})
    await make_org(sessions, ASKER, language="en", name="Asker Fund", contact=PHONES[1])
    owner_org = await make_org(sessions, OWNER, language="en", name="Owner NGO", contact=PHONES[0])
    asker = Conversation(fake_telegram, TgUser(ASKER, "Aigerim", language_code="en"))
    owner = Conversation(fake_telegram, TgUser(OWNER, "Ashot", language_code="en"))
    async with bot_with_clock(json_settings, sessions, fake_telegram, FrozenClock()):
        await asker.send(f"/start org_{owner_org}")
        await asker.click(tr("en", "📨 Request contact"))
        await owner.click(tr("en", "✅ Accept"))
        assert PHONES[0] in asker.last_text() and PHONES[1] in owner.last_text()
        await owner.send(f"my other phone is {PHONES[1]}")  # typed where nothing asks
    lines = _lines(json_log)
    print(f"{len(lines)} lines, e.g. {lines[-1]}")
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys()
    whole = json_log.getvalue()
    assert TEST_BOT_TOKEN not in whole and TEST_BOT_TOKEN.split(":")[1] not in whole
    for phone in PHONES:
        assert phone not in whole and phone.replace(" ", "") not in whole
    handled = [line for line in lines if "update_id" in line]
    assert handled, "no line names the update it was written for"
    assert {line["user_id"] for line in handled} >= {ASKER, OWNER}


@pytest.fixture
def root_level() -> Iterator[None]:
    """The root logger's level put back after the test (`configure` sets it)."""
    level = logging.getLogger().level
    yield
    logging.getLogger().setLevel(level)


@pytest.mark.usefixtures("root_level")
def test_the_token_is_masked_in_messages_arguments_and_tracebacks() -> None:
    sink = io.StringIO()
    log = logging.getLogger("tests.kernel.masking")
    handler = logs.configure("json", TEST_BOT_TOKEN, stream=sink)
    try:
        log.warning("calling https://api.telegram.org/bot%s/getMe", TEST_BOT_TOKEN)
        log.warning("the secret half alone: %s", TEST_BOT_TOKEN.split(":")[1])
        try:
            raise RuntimeError(f"POST /bot{TEST_BOT_TOKEN}/sendMessage failed")
        except RuntimeError:
            log.exception("request failed")
    finally:
        logging.getLogger().removeHandler(handler)
    lines = _lines(sink)
    assert [line["message"] for line in lines] == [
        "calling https://api.telegram.org/bot<token>/getMe",
        "the secret half alone: <token>",
        "request failed",
    ]
    assert "RuntimeError: POST /bot<token>/sendMessage failed" in str(lines[2]["exc_info"])
    assert TEST_BOT_TOKEN.split(":")[1] not in sink.getvalue()
    assert "update_id" not in lines[0]  # no update was being handled


@pytest.mark.usefixtures("root_level")
def test_text_format_stays_human_readable_and_masked() -> None:
    sink = io.StringIO()
    handler = logs.configure("text", TEST_BOT_TOKEN, stream=sink)
    try:
        logging.getLogger("bot.example").info("token %s", TEST_BOT_TOKEN)
    finally:
        logging.getLogger().removeHandler(handler)
    assert sink.getvalue().rstrip().endswith("INFO bot.example: token <token>")


def test_a_log_format_other_than_text_or_json_is_one_clear_line() -> None:
    with pytest.raises(
        ConfigError, match=r"^LOG_FORMAT is invalid: Input should be 'text' or 'json'$"
    ):
        load_settings(_env_file=None, bot_token=TEST_BOT_TOKEN, log_format="xml")
    with pytest.raises(ConfigError, match=r"^HEALTH_PORT is invalid"):
        load_settings(_env_file=None, bot_token=TEST_BOT_TOKEN, health_port="-1")
    chosen = load_settings(_env_file=None, bot_token=TEST_BOT_TOKEN, health_port="0")
    assert (chosen.log_format, chosen.health_port, chosen.health_host) == ("text", 0, "127.0.0.1")
