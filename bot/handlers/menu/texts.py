"""The main menu, /help and /cancel."""

from __future__ import annotations

from bot.i18n import _


def main_menu(has_profile: bool) -> str:
    """The main menu's text."""
    if has_profile:
        return _("🏠 Main menu. What would you like to do?")
    return _(
        "🏠 Main menu. Fill in the questionnaire about your organisation to appear in the "
        "directory and get partner suggestions."
    )


def help_text() -> str:
    """/help."""
    general = _(
        "<b>NGO Bridge</b> connects socially oriented NGOs across Russia, Kazakhstan, Armenia, "
        "Kyrgyzstan and the other CIS countries, so that they can learn from each other.\n\n"
        "<b>How it works</b>\n"
        "1. Fill in a short questionnaire about your organisation: what you can share, what "
        "you want to learn and how you like to cooperate.\n"
        "2. Your card appears in the directory (only if you agree).\n"
        "3. Other organisations can ask for your contacts; they get them only if you accept.\n\n"
        "<b>Commands</b>\n"
        "/start: begin, or continue the questionnaire\n"
        "/menu: the main menu\n"
        "/profile: your organisation's card; change any answer\n"
        "/settings: language and other settings\n"
        "/language: change the language\n"
        "/cancel: stop what you are doing\n"
        "/help: this message\n\n"
        "In the questionnaire, « Back returns to the previous question and Skip passes an "
        "optional one. Your answers are saved after every step."
    )
    about_events = _(
        "<b>Events</b>\n"
        "/events: upcoming webinars, internships, conferences, courses and meetings\n"
        "/unsubscribe: no more event announcements (/settings: which kinds and topics, your "
        "time zone)"
    )
    about_data = _(
        "<b>Your data</b>\n/mydata: see what is stored about you, download it or delete it"
    )
    return general + "\n\n" + about_events + "\n\n" + about_data


def cancelled_prompt() -> str:
    """/cancel while the bot waited for typed words (search, badge request, admin note)."""
    return _("Cancelled.")


def nothing_to_cancel() -> str:
    """/cancel outside any flow."""
    return _("There is nothing to cancel.")
