"""Interface translations: gettext catalogs through aiogram's I18n, Babel for numbers and dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date, format_time, format_timedelta
from babel.numbers import format_decimal, format_percent

from bot.languages import guess_language

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, as meant in `context` (one English word that
    means two things, such as "cancelled" for an event and for a broadcast)."""
    i18n = I18n.get_current(no_error=True)
    translations = i18n.locales.get(i18n.current_locale) if i18n is not None else None
    return translations.pgettext(context, message) if translations is not None else message


def NC_(context: str, message: str) -> tuple[str, str]:
    """Mark a message with its context for extraction; render it with `pgettext(*pair)`."""
    return context, message


def create_i18n(default_language: str) -> I18n:
    """Load the compiled catalogs (`make` builds them from the `.po` files)."""
    return I18n(path=LOCALES_DIR, default_locale=default_language, domain=DOMAIN)


def locale_of(data: dict[str, Any], default: str) -> str:
    """The language of the person behind an update's handler data: the one they chose,
    else the one Telegram reports, else `default`."""
    user = data.get("user")
    if user is not None and user.language:
        return str(user.language)
    tg_user: User | None = data.get("event_from_user")
    return guess_language(tg_user.language_code if tg_user else None, default)


class UserLocaleMiddleware(I18nMiddleware):
    """The user's chosen language, else the one Telegram reports, else the default."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        return locale_of(data, self.i18n.default_locale)


def current_locale() -> str:
    """The locale of the update being handled."""
    return I18n.get_current(no_error=False).current_locale


def number(value: int | float) -> str:
    """A number in the current locale (thousands separators and all)."""
    return format_decimal(value, locale=current_locale())


def percent(share: float) -> str:
    """A share (0.25) as a percentage in the current locale ("25 %", "25%", …)."""
    return format_percent(share, locale=current_locale())


def long_date(moment: datetime) -> str:
    """A date such as "27 November 2026", in the current locale."""
    return format_date(moment, format="long", locale=current_locale())


def medium_date(day: date) -> str:
    """A date such as "Mar 1, 2027" ("1 мар. 2027 г."), in the current locale."""
    return format_date(day, format="medium", locale=current_locale())


def short_date(moment: datetime) -> str:
    """A day and month such as "23 Nov", in the current locale."""
    return format_date(moment, format="d MMM", locale=current_locale())


def local_moment(moment: datetime, zone: str) -> str:
    """A date and time such as "14 December 2026, 15:00" in `zone` and the current locale."""
    local = moment.astimezone(ZoneInfo(zone))
    locale = current_locale()
    return "{date}, {time}".format(
        date=format_date(local, format="long", locale=locale),
        time=format_time(local, "HH:mm", locale=locale),
    )


def local_time(moment: datetime, zone: str) -> str:
    """A time of day such as "15:00" in `zone`."""
    return format_time(moment.astimezone(ZoneInfo(zone)), "HH:mm", locale=current_locale())


def same_local_day(first: datetime, second: datetime, zone: str) -> bool:
    """Whether two moments fall on the same date in `zone`."""
    tz = ZoneInfo(zone)
    return first.astimezone(tz).date() == second.astimezone(tz).date()


def duration(seconds: float) -> str:
    """A rough duration such as "3 minutes", in the current locale."""
    return format_timedelta(max(round(seconds), 1), locale=current_locale(), threshold=1.5)


def plural(singular: str, plural_form: str, count: int, **params: Any) -> str:
    """Translate a plural message and fill in `{n}` (as a localised number) and `params`."""
    return _(singular, plural_form, count).format(n=number(count), **params)


__all__ = [
    "_",
    "create_i18n",
    "current_locale",
    "duration",
    "local_moment",
    "local_time",
    "long_date",
    "number",
    "percent",
    "plural",
    "same_local_day",
    "short_date",
]
