"""Kept for the move: this now lives in :mod:`testing.browser` (outside tests/, which bench/
uses too). Tests may keep importing from here."""

from testing.browser import (
    ARGS,
    CHROMIUM,
    DARK,
    LIGHT,
    PHONE,
    STUB,
    browser_missing,
    chromium,
    stub_state,
    telegram_stub,
)

__all__ = [
    "ARGS",
    "CHROMIUM",
    "DARK",
    "LIGHT",
    "PHONE",
    "STUB",
    "browser_missing",
    "chromium",
    "stub_state",
    "telegram_stub",
]
