"""Time zones: each user's, a default per country, and the quiet hours of announcements."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

COUNTRY_ZONES: Final = {
    "RU": "Europe/Moscow",
    "KZ": "Asia/Almaty",
    "AM": "Asia/Yerevan",
    "KG": "Asia/Bishkek",
    "BY": "Europe/Minsk",
    "UZ": "Asia/Tashkent",
    "TJ": "Asia/Dushanbe",
    "AZ": "Asia/Baku",
    "MD": "Europe/Chisinau",
    "TM": "Asia/Ashgabat",
}
LANGUAGE_ZONES: Final = {
    "ru": "Europe/Moscow",
    "kk": "Asia/Almaty",
    "hy": "Asia/Yerevan",
    "ky": "Asia/Bishkek",
}
# Offered in /settings (any other IANA name can be typed).
CHOICES: Final = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Almaty",
    "Asia/Yerevan",
    "Asia/Bishkek",
    "Europe/Minsk",
    "Asia/Tashkent",
    "Asia/Dushanbe",
    "Asia/Baku",
    "Europe/Chisinau",
    "Asia/Ashgabat",
    "UTC",
)
NAME_MAX: Final = 64
QUIET_END: Final = time(9)  # announcements wait until 09:00 …
QUIET_START: Final = time(21)  # … when it is 21:00 or later in the user's zone


def known(name: str) -> str | None:
    """The zone's canonical spelling if `name` is an IANA zone (any letter case), else None."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        return None
    if name in CHOICES:
        return name
    folded = {zone.casefold(): zone for zone in available_timezones()}
    found = folded.get(name.casefold())
    if found is None:
        return None
    try:
        ZoneInfo(found)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return found


def zone_name(chosen: str | None, country: str | None, language: str | None) -> str:
    """The user's zone: chosen, else their organisation's country's, else their language's."""
    if chosen:
        return chosen
    if country in COUNTRY_ZONES:
        return COUNTRY_ZONES[country]
    return LANGUAGE_ZONES.get(language or "", "UTC")


def outside_quiet_hours(moment: datetime, zone: str) -> datetime:
    """`moment`, or the next 09:00 in `zone` when it falls between 21:00 and 09:00 there."""
    local = moment.astimezone(ZoneInfo(zone))
    if QUIET_END <= local.time() < QUIET_START:
        return moment
    day = local.date() + (timedelta(days=1) if local.time() >= QUIET_START else timedelta())
    morning = datetime.combine(day, QUIET_END, tzinfo=ZoneInfo(zone))
    return morning.astimezone(moment.tzinfo)
