"""Translate like the bot does, so tests can assert what a user of each language sees."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from html import unescape

from aiogram.utils.i18n import I18n
from babel.dates import format_date

from bot.i18n import create_i18n
from bot.taxonomy import COUNTRIES, FLAGS, Vocabulary

TAG = re.compile(r"<[^>]+>")


@cache
def _i18n() -> I18n:
    return create_i18n("en")


def tr(language: str, msgid: str, **params: object) -> str:
    """`msgid` in `language`, placeholders filled, as plain text (tags removed)."""
    text = _i18n().gettext(msgid, locale=language)
    return plain(text.format(**params) if params else text)


def trn(language: str, singular: str, plural: str, n: int, **params: object) -> str:
    """A plural message in `language`."""
    text = _i18n().gettext(singular, plural, n, locale=language)
    return plain(text.format(n=n, **params))


def trp(language: str, context: str, msgid: str) -> str:
    """`msgid` as meant in `context` (pgettext), in `language`."""
    return plain(_i18n().locales[language].pgettext(context, msgid))


def label(language: str, vocabulary: Vocabulary, code: str) -> str:
    """A taxonomy label as it appears on a button."""
    text = tr(language, vocabulary.labels[code])
    return f"{FLAGS[code]} {text}" if vocabulary is COUNTRIES else text


def plain(html: str) -> str:
    """What a user reads of an HTML message: no tags, entities decoded."""
    return unescape(TAG.sub("", html))


def quoted(language: str, name: str) -> str:
    """A name as the bot shows it in `language`: in the language's quotation marks, unless
    it holds quotes of its own (Фонд «Надежда» stays as it is)."""
    if any(mark in name for mark in '«»“”„"'):
        return name
    return tr(language, "“{name}”", name=name)


def end_of_day(language: str, day: date, zone: str) -> str:
    """A partner call's deadline as readers see it: the day in `language` (Babel's medium
    format) and whose end of day it is."""
    when = format_date(day, format="medium", locale=language)
    return tr(language, "{date}, end of day in {zone} time", date=when, zone=zone)
