"""FSM states. Their data lives in the database (see `db.fsm_storage`)."""

from aiogram.fsm.state import State, StatesGroup


class Questionnaire(StatesGroup):
    """Answering questions (onboarding or editing one answer), then the summary card.

    Data: `step` (current step code), `answers` (dict by step code), `return_to`
    (None during onboarding, "review" or "profile" while changing one answer), `before`
    (the answer being changed, restored on Back) and `qmid` (the question's message id).
    """

    answering = State()
    review = State()
