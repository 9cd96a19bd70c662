"""Validation of free-text answers: lengths, URLs, e-mails, Telegram usernames, phones."""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import urlsplit


class Problem(StrEnum):
    """Why an answer was refused; the render layer turns it into a localised sentence."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    TOO_SHORT = "too_short"
    BAD_URL = "bad_url"
    BAD_CONTACT = "bad_contact"
    NEED_TEXT = "need_text"
    NEED_BUTTON = "need_button"
    NEED_CHOICE = "need_choice"
    BAD_REGISTRATION = "bad_registration"


class AnswerError(Exception):
    """An answer was refused for `problem`; `limit` and `length` qualify length problems."""

    def __init__(self, problem: Problem, *, limit: int = 0, length: int = 0) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.limit = limit
        self.length = length


URL_MAX_LENGTH = 300
CONTACT_MAX_LENGTH = 200

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"']{1,64}@([^\W_]([\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$")
_USERNAME = re.compile(r"^@[A-Za-z][A-Za-z0-9_]{3,31}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,22}$")
_HOST = re.compile(r"^([^\W_]([\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$")


def clean_text(raw: str, *, min_length: int, max_length: int, multiline: bool) -> str:
    """Trim, fold runs of spaces and check the length; newlines survive only if `multiline`."""
    lines = [_SPACES.sub(" ", line).strip() for line in raw.replace("\r", "").split("\n")]
    kept = [line for line in lines if line]
    text = "\n".join(kept) if multiline else " ".join(kept)
    if not text:
        raise AnswerError(Problem.EMPTY)
    if len(text) > max_length:
        raise AnswerError(Problem.TOO_LONG, limit=max_length, length=len(text))
    if len(text) < min_length:
        raise AnswerError(Problem.TOO_SHORT, limit=min_length, length=len(text))
    return text


def normalise_url(raw: str) -> str:
    """An http(s) URL with a real host name; `example.org` becomes `https://example.org`."""
    text = raw.strip()
    if not text:
        raise AnswerError(Problem.EMPTY)
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        raise AnswerError(Problem.BAD_URL) from None
    if (
        parts.scheme not in {"http", "https"}
        or len(text) > URL_MAX_LENGTH
        or any(char.isspace() or char in "<>\"'" for char in text)
        or not _HOST.match(host)
    ):
        raise AnswerError(Problem.BAD_URL)
    return text


def normalise_contact(raw: str) -> str:
    """A public contact: an e-mail, a Telegram @username, a phone number or a web link."""
    text = raw.strip()
    if not text:
        raise AnswerError(Problem.EMPTY)
    if len(text) > CONTACT_MAX_LENGTH:
        raise AnswerError(Problem.BAD_CONTACT)
    if _EMAIL.match(text) or _USERNAME.match(text):
        return text
    if _PHONE.match(text) and 7 <= sum(char.isdigit() for char in text) <= 15:
        return text
    if "@" in text:
        raise AnswerError(Problem.BAD_CONTACT)
    try:
        return normalise_url(text)
    except AnswerError:
        raise AnswerError(Problem.BAD_CONTACT) from None
