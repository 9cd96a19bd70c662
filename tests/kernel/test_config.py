"""Configuration: bad settings stop the start with one clear line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:" + "A" * 35


def _run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,  # no .env there
        env={**clean, "PYTHONPATH": str(ROOT), "HEALTH_PORT": "0", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN is invalid"),
        ({"BOT_TOKEN": TOKEN, "DATABASE_URL": "mysql://x"}, "DATABASE_URL is invalid"),
        ({"BOT_TOKEN": TOKEN, "DATABASE_URL": "::::"}, "DATABASE_URL is invalid"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "1,two"}, "ADMIN_IDS is invalid"),
        ({"BOT_TOKEN": TOKEN, "DEFAULT_LANGUAGE": "de"}, "DEFAULT_LANGUAGE is invalid"),
        ({"BOT_TOKEN": TOKEN, "THROTTLE": "fast"}, "THROTTLE is invalid"),
        ({"BOT_TOKEN": TOKEN, "REDIS_URL": "http://127.0.0.1"}, "REDIS_URL is invalid"),
        ({"BOT_TOKEN": TOKEN, "THROTTLE": "0/minute"}, "THROTTLE is invalid"),
        ({"BOT_TOKEN": TOKEN, "WEBHOOK_SECRET": "has spaces"}, "WEBHOOK_SECRET is invalid"),
        ({"BOT_TOKEN": TOKEN, "CHAT_INTERVAL": "-1"}, "CHAT_INTERVAL is invalid"),
        ({"BOT_TOKEN": TOKEN, "VIDEO_BASE_URL": "meet"}, "VIDEO_BASE_URL is invalid"),
        (
            {"BOT_TOKEN": TOKEN, "VIDEO_BASE_URL": "https://x.org/" + "a" * 200},
            "VIDEO_BASE_URL is invalid",
        ),
    ],
)
def test_bad_configuration_is_one_line_without_traceback(
    tmp_path: Path, env: dict[str, str], variable: str
) -> None:
    result = _run_bot(tmp_path, **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr
    assert "AAAA" not in result.stderr  # the token is never echoed


def test_an_unreachable_bot_api_at_start_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    result = _run_bot(
        tmp_path, BOT_TOKEN=TOKEN, DATABASE_URL=url, TELEGRAM_API_BASE="http://127.0.0.1:9"
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("ngo-bridge:")]
    assert lines and "cannot reach the Bot API" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert "AAAA" not in result.stderr


def test_admin_ids_are_split_on_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ADMIN_IDS", " 11, 22 ,33")
    assert load_settings(_env_file=None).admin_ids == frozenset({11, 22, 33})


def test_missing_token_raises_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="BOT_TOKEN"):
        load_settings(_env_file=None)


def test_configuration_errors_come_before_the_heavy_imports(tmp_path: Path) -> None:
    """A mistake is reported without importing aiogram (seconds on a small server)."""
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['bot']\n"
        "try:\n"
        "    runpy.run_module('bot', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('aiogram' in sys.modules, 'sqlalchemy.ext.asyncio' in sys.modules)\n"
    )
    clean = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "BOT_TOKEN is not set" in result.stderr
    assert result.stdout.strip() == "False False", result.stdout


def test_an_unusable_database_is_one_line_naming_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    url = f"sqlite+aiosqlite:///{blocker / 'data' / 'bot.db'}"
    result = _run_bot(tmp_path, BOT_TOKEN=TOKEN, DATABASE_URL=url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ngo-bridge: DATABASE_URL cannot be used")
    assert str(blocker / "data") in lines[0]
    assert "sqlalche.me" not in result.stderr


def test_an_unreachable_redis_stops_the_start_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    result = _run_bot(
        tmp_path,
        BOT_TOKEN=TOKEN,
        DATABASE_URL=url,
        REDIS_URL="redis://127.0.0.1:9/0",
        TELEGRAM_API_BASE="http://127.0.0.1:9",
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ngo-bridge: REDIS_URL cannot be used")
    assert "Traceback" not in result.stderr


def test_the_channel_is_a_numeric_id_or_a_name_and_speaks_a_known_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DEFAULT_LANGUAGE", "kk")
    assert load_settings(_env_file=None).channel is None
    monkeypatch.setenv("CHANNEL_ID", "-1001234567890")
    loaded = load_settings(_env_file=None)
    assert loaded.channel == -1001234567890 and loaded.channel_locale == "kk"
    monkeypatch.setenv("CHANNEL_ID", "@ngo_bridge_calls")
    monkeypatch.setenv("CHANNEL_LANGUAGE", "hy")
    loaded = load_settings(_env_file=None)
    assert loaded.channel == "@ngo_bridge_calls" and loaded.channel_locale == "hy"
    monkeypatch.setenv("CHANNEL_ID", "https://t.me/x")
    with pytest.raises(ConfigError, match=r"^CHANNEL_ID is invalid"):
        load_settings(_env_file=None)
    monkeypatch.setenv("CHANNEL_ID", "@ngo_bridge_calls")
    monkeypatch.setenv("CHANNEL_LANGUAGE", "de")
    with pytest.raises(ConfigError, match=r"^CHANNEL_LANGUAGE is invalid"):
        load_settings(_env_file=None)
