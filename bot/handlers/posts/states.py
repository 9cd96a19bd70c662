"""States of posts."""

from aiogram.fsm.state import State, StatesGroup


class PostWizard(StatesGroup):
    """A member writing an event their organisation hosts. Data as the admins' event
    wizard keeps it (`step`, `answers`, `zone`, `complete`), `editing` (a rejected post's
    id, or None). The FSM storage is the database: a restart loses nothing."""

    writing = State()
    # A partner call: `step`, `answers`, `zone`, `host`, `host_id` (bot/handlers/posts/calls).
    calling = State()
    # Answering a partner call: `call` (its id); the message to the host is typed.
    answering = State()


class ReviewNote(StatesGroup):
    """An admin rejecting a post, asked for an optional comment. Data: `post` (its id),
    `reason` (a code of `review.REASONS`), `panel` (the message with the buttons), `kind`
    ("call" for a partner call)."""

    writing = State()
