"""Kept for the move: this now lives in :mod:`testing.conversation` (outside tests/, which bench/
uses too). Tests may keep importing from here."""

from testing.conversation import (
    Conversation,
    WaitMode,
)

__all__ = [
    "Conversation",
    "WaitMode",
]
