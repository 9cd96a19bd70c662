"""States of posts."""

from aiogram.fsm.state import State, StatesGroup


class PostWizard(StatesGroup):
    """A member writing a post of their organisation's (an event, an internship, a partner
    call): data as bot/handlers/posts/writing.py says. The FSM storage is the database: a
    restart loses nothing."""

    writing = State()
    # A partner call's draft written before one wizard wrote every kind (read as `writing`
    # with `kind` "call").
    calling = State()
    # Answering a partner call: `call` (its id); the message to the host is typed.
    answering = State()


class ReviewNote(StatesGroup):
    """An admin rejecting a post, asked for an optional comment. Data: `post` (its id),
    `reason` (a code of `review.REASONS`), `panel` (the message with the buttons), `kind`
    ("call" for a partner call)."""

    writing = State()
