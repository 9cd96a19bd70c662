"""FSM states. Their data lives in the database (see `db.fsm_storage`)."""

from aiogram.fsm.state import State, StatesGroup


class Questionnaire(StatesGroup):
    """Answering questions (onboarding or editing one answer), then the summary card.

    Data: `step` (current step code), `answers` (dict by step code), `return_to`
    (None during onboarding, "review" or "profile" while changing one answer), `field` and
    `originals` (the answer being changed and the answers before it, restored on Back) and
    `qmid` (the question's message id).
    """

    answering = State()
    review = State()


class Search(StatesGroup):
    """Waiting for the words of a free-text search. Filters live in the data (`filters`),
    with or without this state."""

    text = State()


class Trust(StatesGroup):
    """Asking for the trust badge: the registration number, then the website."""

    registration = State()
    website = State()


class AdminNote(StatesGroup):
    """An admin writes how a verification was checked. Data: `verification`, `approve`."""

    note = State()


class Broadcasting(StatesGroup):
    """An admin prepares a broadcast. Data: `content` (text or message to copy),
    `audience` and `panel` (the setup message's id)."""

    setup = State()


class ZonePrompt(StatesGroup):
    """Waiting for a typed time zone name (from /settings)."""

    zone = State()


class EventWizard(StatesGroup):
    """/event_new (and Edit). Data: `step` (a code of `event_texts.STEPS`), `answers`
    (what was given so far, JSON-safe), `editing` (the event's id, or None)."""

    writing = State()


# States that only wait for typed words: a command leaves them.
PROMPT_STATES = frozenset(
    s.state
    for s in (Search.text, Trust.registration, Trust.website, AdminNote.note, ZonePrompt.zone)
)
