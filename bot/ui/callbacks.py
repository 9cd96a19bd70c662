"""Typed callback data. Values are validated again by the handlers: data can be forged."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Ids and page numbers as the database can hold them: forged data outside is refused
# by the filter (the press then reaches the catch-all as an unknown button).
Id = Annotated[int, Field(ge=0, le=2_147_483_647)]


class LanguagePick(CallbackData, prefix="lang"):
    """A language chosen in the picker."""

    code: str


class StepAction(StrEnum):
    """What a questionnaire button does."""

    PICK = "pick"
    TOGGLE = "toggle"
    DONE = "done"
    YES = "yes"
    NO = "no"
    BACK = "back"
    SKIP = "skip"
    KEEP = "keep"


class StepPress(CallbackData, prefix="q"):
    """A button under a question; `step` tells stale presses from current ones."""

    step: str
    action: StepAction
    value: str = ""


class ReviewAction(StrEnum):
    """Buttons under the summary card, the field list and the resume prompt."""

    CONFIRM = "confirm"
    FIELDS = "fields"
    FIELD = "field"
    SUMMARY = "summary"
    CONTINUE = "continue"
    RESTART = "restart"


class ReviewPress(CallbackData, prefix="rv"):
    """A press on the summary card or its field list."""

    action: ReviewAction
    field: str = ""


class MenuAction(StrEnum):
    """Main menu destinations."""

    HOME = "home"
    PROFILE = "profile"
    EDIT = "edit"
    FIELD = "field"
    SETTINGS = "settings"
    LANGUAGE = "language"
    HELP = "help"
    ONBOARD = "onboard"


class MenuPress(CallbackData, prefix="m"):
    """A press on the main menu, the profile card or settings."""

    action: MenuAction
    field: str = ""


class SearchAction(StrEnum):
    """Buttons of the partner search screens."""

    FILTERS = "filters"  # the filter screen
    CHOOSE = "choose"  # the options of one filter
    SET = "set"  # one option chosen ("" = any)
    UNSET = "unset"  # remove one filter ("nothing found")
    VERIFIED = "verified"  # toggle "verified only"
    TEXT = "text"  # ask for words
    CLEAR = "clear"
    RESULTS = "results"  # a page of results
    SUGGEST = "suggest"  # a page of suggestions
    CARD = "card"  # one organisation's card


class SearchPress(CallbackData, prefix="s"):
    """A press in partner search. `mode` says which list a card or page belongs to:
    "r" results, "g" suggestions, "" a card opened from a link or a message."""

    action: SearchAction
    name: str = ""
    value: str = ""
    page: Id = 0
    org: Id = 0
    mode: str = ""


class ContactAction(StrEnum):
    """Introduction buttons."""

    REQUEST = "request"
    ACCEPT = "accept"
    DECLINE = "decline"
    INBOX = "inbox"  # the oldest request waiting for our answer


class ContactPress(CallbackData, prefix="c"):
    """Request a card's contacts (`org`), or answer a request (`request`)."""

    action: ContactAction
    org: Id = 0
    request: Id = 0


class ReportPress(CallbackData, prefix="rp"):
    """Report an organisation; an empty reason asks for one."""

    org: Id
    reason: str = ""


class FollowUpPress(CallbackData, prefix="fu"):
    """An answer to "what came of it"."""

    request: Id
    outcome: str


class TrustAction(StrEnum):
    """The organisation's own trust and visibility settings."""

    BADGE = "badge"
    APPLY = "apply"
    KEEP_WEBSITE = "keep_site"
    SKIP_WEBSITE = "skip_site"
    VISIBILITY = "visibility"
    AUDIENCE = "audience"


class TrustPress(CallbackData, prefix="t"):
    """A press on the badge or visibility screens."""

    action: TrustAction
    value: str = ""


class AdminAction(StrEnum):
    """Admin decisions; every press is checked against ADMIN_IDS again."""

    APPROVE = "approve"
    REJECT = "reject"
    DISMISS = "dismiss"
    HIDE = "hide"
    BAN = "ban"


class AdminPress(CallbackData, prefix="adm"):
    """An admin's decision on a verification (`item` = its id) or a report."""

    action: AdminAction
    item: Id


class BroadcastAction(StrEnum):
    """Presses on the broadcast screens (admins only, re-checked on every press)."""

    OPEN = "open"  # a picker: `kind` is countries, languages or focus
    TICK = "tick"  # `kind`, `code`
    VERIFIED = "verified"
    BACK = "back"
    SEND = "send"
    CANCEL = "cancel"
    STOP = "stop"  # a running broadcast: `item` is its id


class AudienceKind(StrEnum):
    """The audience criteria with several values."""

    COUNTRIES = "countries"
    LANGUAGES = "languages"
    FOCUS = "focus"


class BroadcastPress(CallbackData, prefix="bc"):
    """A press while preparing or watching a broadcast."""

    action: BroadcastAction
    kind: AudienceKind | None = None
    code: Annotated[str, Field(max_length=16)] = ""
    item: Id = 0


class EventAction(StrEnum):
    """A user's presses on announcements and /events."""

    GOING = "going"
    NOT_GOING = "no"
    OPEN = "open"
    PAGE = "page"


class EventPress(CallbackData, prefix="ev"):
    """`item` is the event's id (or the page for PAGE)."""

    action: EventAction
    item: Id = 0


class EventAdminAction(StrEnum):
    """Admin presses in /event_new and /events_admin (the admin is re-checked each time)."""

    KIND = "kind"  # `code`: the kind
    TICK = "tick"  # `code`: a topic, country or language of the current step
    DONE = "done"
    SKIP = "skip"
    BACK = "back"
    ABORT = "abort"
    PUBLISH = "publish"  # `item`: the event (0: the one being written)
    PUBLISH_AT = "at"
    DRAFT = "draft"
    CANCEL = "cancel"  # `item`: the event
    EDIT = "edit"  # `item`: the event


class EventAdminPress(CallbackData, prefix="eva"):
    """A press in the event wizard or the admin list."""

    action: EventAdminAction
    item: Id = 0
    code: Annotated[str, Field(max_length=16)] = ""


class SettingsAction(StrEnum):
    """Event settings in /settings."""

    TOGGLE = "toggle"
    KINDS = "kinds"
    KIND = "kind"  # `value`: an event kind
    ZONES = "zones"
    ZONE = "zone"  # `value`: index into bot.services.zones.CHOICES ("": back)
    TOPICS = "topics"
    TOPIC = "topic"  # `value`: an expertise topic
    DIGEST = "digest"  # the weekly digest on or off


class SettingsPress(CallbackData, prefix="st"):
    """A press on the event part of /settings."""

    action: SettingsAction
    value: Annotated[str, Field(max_length=16)] = ""


class DataAction(StrEnum):
    """Buttons of the "Your data" screens."""

    SHOW = "show"  # the summary
    EXPORT = "export"  # send the file
    ERASE = "erase"  # ask to confirm
    CONFIRM = "confirm"  # delete everything


class DataPress(CallbackData, prefix="d"):
    """A press on the "Your data" screens (always about the presser's own data)."""

    action: DataAction


class StatsAction(StrEnum):
    """Buttons under /stats (admins only, re-checked on every press)."""

    CHART = "chart"
    TABLE = "table"


class StatsPress(CallbackData, prefix="sta"):
    """A press under /stats."""

    action: StatsAction
