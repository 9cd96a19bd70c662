"""Routes of posts: a member's offer and wizard, the admins' review."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from bot.filters import IsAdmin
from bot.handlers.events.callbacks import EventAdminAction
from bot.handlers.posts import answering, inbox, reviewing, writing
from bot.handlers.posts.callbacks import (
    PostAction,
    PostPress,
    PostStepPress,
    ReviewAction,
    ReviewPress,
)
from bot.handlers.posts.states import PostWizard, ReviewNote
from bot.navigation import (
    ApplyPress,
    MenuAction,
    MenuPress,
    Pressed,
    PressOf,
    RefusalsAnswered,
    register_actions,
)


def create_router() -> Router:
    """The member's side, then the admins' review."""
    router = Router(name="posts")
    router.include_routers(_writing_router(), _answers_router(), _review_router())
    return router


def _writing_router() -> Router:
    router = Router(name="posts_writing")
    router.callback_query.filter(PressOf(MenuPress, PostPress, PostStepPress), Pressed())
    # A refused press (`Refused`, raised before anything changed) is answered as an alert.
    router.callback_query.middleware(RefusalsAnswered())
    # From any state: starting a post (or editing a rejected one) replaces what was open.
    router.callback_query.register(writing.on_offer, MenuPress.filter(F.action == MenuAction.POST))
    register_actions(
        router,
        PostPress,
        {
            PostAction.EVENT: writing.on_new,
            PostAction.INTERNSHIP: writing.on_new,
            PostAction.CALL: writing.on_new,
            PostAction.EDIT: writing.on_edit,
            PostAction.REDO: writing.on_redo,
            PostAction.RESUME: writing.on_resume,
            PostAction.INTEREST: answering.on_interest,
            PostAction.ANSWERS: inbox.on_answers,
            PostAction.POST: inbox.on_post,
            PostAction.CLOSE: inbox.on_close,
            PostAction.FOUND: inbox.on_found,
            PostAction.NOT_FOUND: inbox.on_found,
            PostAction.DROP: answering.on_drop,
            PostAction.ACCEPT: answering.on_decide,
            PostAction.DECLINE: answering.on_decide,
            PostAction.ACCEPT_HERE: inbox.on_decide_here,
            PostAction.DECLINE_HERE: inbox.on_decide_here,
        },
    )
    router.callback_query.register(writing.on_card, PostPress.filter(F.action == PostAction.CARD))
    # The wizard's presses, whatever kind of post it writes (`calling`: a partner call's
    # draft from before one wizard wrote every kind).
    wizard = StateFilter(PostWizard.writing, PostWizard.calling)
    register_actions(
        router,
        PostStepPress,
        {
            EventAdminAction.KIND: writing.on_kind,
            EventAdminAction.TICK: writing.on_tick,
            EventAdminAction.DONE: writing.on_done,
            EventAdminAction.SKIP: writing.on_skip,
            EventAdminAction.BACK: writing.on_back,
            EventAdminAction.ABORT: writing.on_abort,
        },
        wizard,
    )
    router.callback_query.register(
        writing.on_submit, PostPress.filter(F.action == PostAction.SUBMIT), wizard
    )
    # Commands go on to their own routers.
    typed = F.text & ~F.text.startswith("/")
    router.message.register(writing.on_answer, wizard, typed)
    router.message.register(writing.on_not_text, wizard, ~F.text)
    router.message.register(answering.on_answer_message, PostWizard.answering, typed)
    router.message.register(answering.on_not_text, PostWizard.answering, ~F.text)
    return router


def _answers_router() -> Router:
    """📝 Apply under an internship an organisation hosts (the kernel's press, which events
    shows and posts handles)."""
    router = Router(name="posts_answers")
    router.callback_query.filter(PressOf(ApplyPress), Pressed())
    router.callback_query.middleware(RefusalsAnswered())
    router.callback_query.register(answering.on_apply, ApplyPress.filter())
    return router


def _review_router() -> Router:
    """Admins only: /review by the router's filter; every press re-checks the admin in
    the rules (a forged press by anyone else is refused with an alert)."""
    router = Router(name="posts_review")
    router.callback_query.filter(PressOf(ReviewPress), Pressed())
    router.callback_query.middleware(RefusalsAnswered())
    router.message.register(reviewing.on_review, Command("review"), IsAdmin())
    register_actions(
        router,
        ReviewPress,
        {
            ReviewAction.OPEN: reviewing.on_open,
            ReviewAction.APPROVE: reviewing.on_approve,
            ReviewAction.REJECT: reviewing.on_reject,
            ReviewAction.REASON: reviewing.on_reason,
            ReviewAction.BARE: reviewing.on_bare,
            ReviewAction.BACK: reviewing.on_back,
        },
    )
    router.message.register(reviewing.on_note, ReviewNote.writing, F.text, IsAdmin())
    return router
