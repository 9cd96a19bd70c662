"""The questionnaire's FSM states (their data lives in the database)."""

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
