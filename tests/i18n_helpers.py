"""Kept for the move: this now lives in :mod:`testing.i18n` (outside tests/, which bench/
uses too). Tests may keep importing from here."""

from testing.i18n import (
    TAG,
    end_of_day,
    label,
    plain,
    quoted,
    tr,
    trn,
    trp,
)

__all__ = [
    "TAG",
    "end_of_day",
    "label",
    "plain",
    "quoted",
    "tr",
    "trn",
    "trp",
]
