"""The Mini App's JSON API under /api/: every request signed by Telegram (auth.py), every
rule the chat's (search, consent, events), answered in the caller's language."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import I18n
from aiohttp import web

from bot import users
from bot.clock import Clock
from bot.delivery.notifier import Notifier
from bot.handlers.contacts import asking, introductions
from bot.handlers.contacts import texts as contacts_texts
from bot.handlers.contacts.introductions import RequestRefusal, RequestRefused
from bot.handlers.directory import search
from bot.handlers.directory import texts as directory_texts
from bot.handlers.directory.search import Filters, TextError
from bot.handlers.events import attending, listings, rsvps
from bot.handlers.events import texts as events_texts
from bot.handlers.find import offers
from bot.handlers.find import texts as find_texts
from bot.handlers.posts import answering, answers
from bot.handlers.webapp import texts, views
from bot.handlers.webapp.auth import Caller, Denied, Unauthorized, admit, launch_of
from bot.navigation import Refused
from bot.scheduler import Planner
from db.engine import Sessions

log = logging.getLogger(__name__)

PAGE_SIZE: Final = 20
PAGE_MAX: Final = 500
ID_MAX: Final = 2_147_483_647
COUNT_CAP: Final = 500  # "more than 500 found": the walk stops there


class BadQuery(Exception):
    """A malformed query: 400 with the developer's `detail`, and a `message` in the
    caller's language when they can mend it themselves (words the search cannot use).
    Without one the page says it in its own words: a developer's text never reaches it."""

    def __init__(self, detail: str, message: str | None = None) -> None:
        super().__init__(detail)
        self.message = message

    def body(self) -> dict[str, str]:
        """The 400's JSON."""
        body = {"error": "bad_request", "detail": str(self)}
        return body if self.message is None else {**body, "message": self.message}


class NotFound(Exception):
    """Nothing the caller may see: 404 with `message`, in the caller's language."""


class Declined(Exception):
    """A rule of the chat's service said no: `status` (409, or 429 for a daily limit) with
    the refusal's `reason` and its text in the caller's language."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(reason)
        self.status, self.reason, self.message = status, reason, message

    def body(self) -> dict[str, str]:
        return {"error": "refused", "reason": self.reason, "message": self.message}


@dataclass(frozen=True)
class Services:
    """What the API's handlers use: the Dispatcher's own objects."""

    bot: Bot
    sessions: Sessions
    i18n: I18n
    clock: Clock
    notifier: Notifier
    planner: Planner
    token: str
    default_language: str


Handler = Callable[["Api", web.Request, Caller], Awaitable[dict[str, Any]]]


def _json(payload: dict[str, Any], status: int = 200) -> web.Response:
    response = web.json_response(payload, status=status)
    response.headers["Cache-Control"] = "no-store"
    if len(response.body or b"") > 1024:  # type: ignore[arg-type]
        response.enable_compression()
    return response


def _int(value: str | None, name: str, upper: int, default: int = 0) -> int:
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdecimal()) or len(value) > 10 or int(value) > upper:
        raise BadQuery(f"{name} must be a whole number from 0 to {upper}")
    return int(value)


def filters_of(query: Any) -> Filters:
    """Filters from the query string; unknown codes and bad words are a BadQuery."""
    values: dict[str, Any] = {}
    for name, vocabulary in views.VOCABULARIES.items():
        code = query.get(name, "")
        if code and code not in vocabulary:
            raise BadQuery(f"unknown {name}: {code[:40]}")
        if code:
            values[name] = code
    verified = query.get("verified", "")
    if verified not in ("", "0", "1"):
        raise BadQuery("verified must be 0 or 1")
    values["verified_only"] = verified == "1"
    raw = query.get("q", "")
    if raw.strip():
        try:
            values["text"] = search.parse_text(raw)
        except TextError as error:
            message = texts.plain(directory_texts.text_problem(error.problem, len(raw)))
            raise BadQuery(f"q: {error.problem.value}", message) from error
    return Filters(**values)


class Api:
    """The handlers, bound to the services."""

    def __init__(self, services: Services) -> None:
        self.s = services

    def routes(self, prefix: str) -> list[web.RouteDef]:
        """The API's routes under `prefix`/api/."""
        base = f"{prefix}/api"
        org, event = "{org}", "{event}"  # checked by the handlers: a bad id is a 400
        return [
            web.get(f"{base}/me", self._wrap(Api.me)),
            web.get(f"{base}/search", self._wrap(Api.search)),
            web.get(f"{base}/suggestions", self._wrap(Api.suggestions)),
            web.get(f"{base}/cards/{org}", self._wrap(Api.card)),
            web.post(f"{base}/cards/{org}/request", self._wrap(Api.request)),
            web.get(f"{base}/events", self._wrap(Api.events)),
            web.post(f"{base}/events/{event}/attend", self._wrap(Api.attend)),
            web.get(f"{base}/offers", self._wrap(Api.offers)),
            web.post(f"{base}/offers/answer", self._wrap(Api.answer)),
        ]

    def _wrap(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            try:
                launch = launch_of(
                    request.headers.get("Authorization"), self.s.token, self.s.clock.now()
                )
            except Unauthorized:  # nothing signed to say who, nor in what language
                return _json({"error": "unauthorized"}, 401)
            try:
                caller = await admit(self.s.sessions, launch, self.s.default_language)
            except Denied as denied:
                with self.s.i18n.context(), self.s.i18n.use_locale(denied.language):
                    message = texts.denied(denied.denial)
                return _json({"error": denied.denial.value, "message": message}, 403)
            with self.s.i18n.context(), self.s.i18n.use_locale(caller.language):
                try:
                    return _json(await handler(self, request, caller))
                except BadQuery as bad:
                    return _json(bad.body(), 400)
                except NotFound as missing:
                    return _json({"error": "not_found", "message": str(missing)}, 404)
                except Declined as declined:
                    return _json(declined.body(), declined.status)

        return handle

    async def me(self, request: web.Request, caller: Caller) -> dict[str, Any]:
        """The caller's language, the page's words and the filters' options."""
        mine = await search.me(self.s.sessions, caller.id, self.s.clock.now())
        return {
            "language": caller.language,
            "strings": texts.strings(),
            "vocab": views.vocabularies(),
            "has_profile": mine is not None,
        }

    async def search(self, request: web.Request, caller: Caller) -> dict[str, Any]:
        """A page of the directory narrowed by the filters; page 0 also says how many."""
        filters = filters_of(request.query)
        number = _int(request.query.get("page"), "page", PAGE_MAX)
        now = self.s.clock.now()
        mine = await search.me(self.s.sessions, caller.id, now)
        found = await search.find(self.s.sessions, mine, filters, number, now, size=PAGE_SIZE)
        answer = views.page(found)
        if number == 0:
            if found.has_next:
                total = await search.count(self.s.sessions, mine, filters, now, cap=COUNT_CAP)
            else:
                total = len(found.cards)
            answer["count"] = min(total, COUNT_CAP)
            answer["count_text"] = texts.found(total, COUNT_CAP)
            answer["show_text"] = texts.show(total, COUNT_CAP)
            if not found.cards:
                answer["notice"] = texts.nothing(filters.empty)
        return answer

    async def suggestions(self, request: web.Request, caller: Caller) -> dict[str, Any]:
        """A page of "suggested for you", ranked as in the chat."""
        number = _int(request.query.get("page"), "page", PAGE_MAX)
        now = self.s.clock.now()
        mine = await search.me(self.s.sessions, caller.id, now)
        if mine is None:
            return {"items": [], "has_next": False, "notice": _need_profile()}
        found = await search.suggest(self.s.sessions, mine, number, now, size=PAGE_SIZE)
        answer = views.page(found)
        if not found.cards and number == 0:
            answer["notice"] = texts.plain(directory_texts.no_suggestions())
        return answer

    async def card(self, request: web.Request, caller: Caller) -> dict[str, Any]:
        """An organisation's card, if the caller may see it (never its contacts)."""
        org = _int(request.match_info["org"], "the organisation", ID_MAX)
        shown = await search.card(self.s.sessions, caller.id, org, self.s.clock.now())
        if shown is None:
            raise NotFound(texts.plain(directory_texts.card_gone()))
        return views.full(shown.card, own=shown.own)

    async def request(self, request: web.Request, caller: Caller) -> dict[str, Any]:
        """Request an organisation's contacts through the consent service; the other
        side is asked in the bot's chat."""
        org = _int(request.match_info["org"], "the organisation", ID_MAX)
        try:
            intro = await introductions.request_contact(
                self.s.sessions, caller.id, org, self.s.clock.now()
            )
        except RequestRefused as refused:
            message = contacts_texts.refusal(refused.reason, refused.retry_at)
            return {"sent": False, "reason": refused.reason.value, "message": texts.plain(message)}
        await asking.send_request(self.s.bot, self.s.sessions, self.s.notifier, intro)
        sent = contacts_texts.request_sent(intro.recipient.card.name)
        return {"sent": True, "message": texts.plain(sent)}

    async def events(self, request: web.Request, caller: Caller) -> dict[str, Any]:
        """Upcoming events, as /events lists them, in the caller's zone."""
        number = _int(request.query.get("page"), "page", PAGE_MAX)
        found = await listings.upcoming(self.s.sessions, caller.id, number, self.s.clock.now())
        zone = await users.zone_of(self.s.sessions, caller.id)
        me = str((await self.s.bot.me()).username)
        return {
            "items": [views.event(e, zone, me, going=e.id in found.going) for e in found.events],
            "page": found.page,
            "has_next": found.has_next,
        }

    async def attend(self, request: web.Request, caller: Caller) -> dict[str, Any]:
        """ "I'll attend": the RSVP, the reminders and the .ics in the chat, as the button."""
        event_id = _int(request.match_info["event"], "the event", ID_MAX)
        now = self.s.clock.now()
        answer, event = await rsvps.rsvp(self.s.sessions, event_id, caller.id, True, now)
        if answer is not rsvps.Answer.GOING or event is None:
            return {"ok": False, "message": texts.plain(events_texts.rsvp_refused(answer.value))}
        try:
            await attending.confirm_going(
                self.s.bot, caller.id, self.s.sessions, self.s.planner, event, now
            )
        except TelegramAPIError as exc:  # blocked the bot: the RSVP stands
            log.info("mini app: no calendar file for %s: %s", caller.id, exc.message)
            return {"ok": True, "message": texts.going(event, sent=False)}
        return {"ok": True, "message": texts.going(event, sent=True)}

    async def offers(self, request: web.Request, caller: Caller) -> dict[str, Any]:
        """📣 Calls and offers: a page of what is open, filtered by kind, topic and country
        as in the chat, each with the link that opens it in the bot to answer there; with
        `limit` (the refusal Send would meet, and when it frees) when the caller's
        organisation has sent the day's answers."""
        query = request.query
        try:
            filters = offers.Filters.checked(
                query.get("kind", ""), query.get("topic", ""), query.get("country", "")
            )
        except ValueError as exc:
            raise BadQuery(f"unknown {exc}") from exc
        number = _int(query.get("page"), "page", PAGE_MAX)
        now = self.s.clock.now()
        found = await offers.find(self.s.sessions, caller.id, filters, now, number, PAGE_SIZE)
        if number > found.number:  # past the end: nothing more
            return {"items": [], "page": number, "has_next": False}
        me = await self.s.bot.me()
        declined = await answers.declined_posts(self.s.sessions, caller.id)

        def item(offer: offers.Offer) -> dict[str, Any]:
            key = ("call" if offer.is_call else "internship", offer.id)
            return views.offer(offer, str(me.username), declined=key in declined)

        answer: dict[str, Any] = {
            "items": [item(offer) for offer in found.offers],
            "page": found.number,
            "has_next": found.has_next,
        }
        if not found.offers:
            answer["notice"] = texts.plain(find_texts.listing(found, filters, PAGE_SIZE))
        if any(item["answerable"] for item in answer["items"]):
            limit = await answers.limit_of(self.s.sessions, caller.id, now)
            if limit is not None:  # the page says it in place of the answer form
                answer["limit"] = {
                    "message": texts.plain(limit.text()),
                    "frees_at": limit.retry_at.isoformat(),
                }
        return answer

    async def answer(self, request: web.Request, caller: Caller) -> dict[str, Any]:
        """🙋 We're interested in a call, 📝 Apply to an internship: the chat's service
        records it (its rules, its daily limit), then the host's members get the message
        and the contact request in the chat, as when answered there."""
        kind, post_id, text = await _answer_of(request)
        try:
            sent = await answers.send(
                self.s.sessions, caller.id, kind, post_id, text, self.s.clock.now()
            )
        except Refused as refused:
            raise _declined(refused) from refused
        said = await answering.deliver(self.s.bot, self.s.sessions, self.s.notifier, sent, text)
        return {"sent": True, "message": texts.plain(said)}


def _declined(refused: Refused) -> Declined:
    limit = isinstance(refused, answers.AnswerLimit) or (
        isinstance(refused, RequestRefused) and refused.reason is RequestRefusal.LIMIT
    )
    reason = getattr(refused, "reason", None)
    code = "limit" if limit else str(getattr(reason, "value", reason or "refused"))
    return Declined(429 if limit else 409, code, texts.plain(refused.text()))


async def _answer_of(request: web.Request) -> tuple[str, int, str]:
    """The answer's kind, post and cleaned message from the JSON body (a BadQuery else)."""
    try:
        body = await request.json()
    except ValueError as exc:  # not JSON (UnicodeDecodeError is one)
        raise BadQuery("the body must be JSON", texts.cannot_answer()) from exc
    if not isinstance(body, dict):
        raise BadQuery("the body must be a JSON object", texts.cannot_answer())
    kind, post_id, raw = body.get("kind"), body.get("id"), body.get("message")
    if kind not in answers.KINDS:
        raise BadQuery("kind must be call or internship", texts.cannot_answer())
    if isinstance(post_id, bool) or not isinstance(post_id, int) or not 0 < post_id <= ID_MAX:
        raise BadQuery(f"id must be a whole number from 1 to {ID_MAX}", texts.cannot_answer())
    if not isinstance(raw, str):
        raise BadQuery("message must be a string", texts.cannot_answer())
    text = answering.cleaned(raw)
    wrong = answering.problem(text)
    if wrong is not None:
        raise BadQuery("message: empty or too long", texts.plain(wrong))
    return str(kind), post_id, text


def _need_profile() -> str:
    return texts.plain(directory_texts.suggestions_need_profile())
