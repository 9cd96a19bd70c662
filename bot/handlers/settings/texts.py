"""The settings screen: language, announcements, time zone."""

from __future__ import annotations

from bot import shared_texts
from bot.i18n import _
from bot.languages import LANGUAGES
from bot.taxonomy import EVENT_KINDS


def settings(language_code: str) -> str:
    """The settings screen."""
    return _("⚙️ Settings\n\nLanguage: {language}").format(language=LANGUAGES[language_code])


def settings_block(on: bool, kinds: list[str] | None, topics: list[str], zone: str) -> str:
    """The events part of /settings."""
    followed = (
        _("all kinds")
        if kinds is None
        else ", ".join(shared_texts.label(EVENT_KINDS, k) for k in kinds) or _("none")
    )
    state = _("on") if on else _("off")
    return "\n".join(
        [
            _("📅 Event announcements: {state}").format(state=state),
            _("Kinds: {kinds}").format(kinds=followed),
            _("Topics: {topics}").format(
                topics=shared_texts.choice_labels(tuple(topics), "topics") or _("any")
            ),
            _("Time zone: {zone}").format(zone=zone),
        ]
    )


def zone_prompt(zone: str) -> str:
    """The time zone picker."""
    return _(
        "🕒 Your time zone is {zone}. Choose another, or type its name (e.g. Asia/Tashkent)."
    ).format(zone=zone)


def zone_unknown() -> str:
    """A typed time zone that does not exist."""
    return _("There is no such time zone. Type a name like Asia/Almaty or Europe/Moscow.")


def zone_set(zone: str) -> str:
    """After choosing a zone."""
    return _("🕒 Time zone: {zone}. Dates are shown in it from now on.").format(zone=zone)


def topics_prompt() -> str:
    """The topics picker."""
    return _(
        "🧭 Events on which topics should we announce to you? At first these are the topics "
        "your organisation wants to learn. Events for your focus areas come as well; events "
        "without topics come to everyone."
    )


def kinds_prompt() -> str:
    """The event kinds picker."""
    return _("📅 Which kinds of events should we announce to you?")


def partner_calls_button(on: bool) -> str:
    """The switch of other organisations' partner calls."""
    return _("📣 Partner calls: on") if on else _("📣 Partner calls: off")
