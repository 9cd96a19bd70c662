"""What the answers' tests share: an internship an organisation hosts, approved and
published (written directly: posting internships is another step of issue 21), and a
partner call, approved."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update

from bot.handlers.events import drafts, publishing
from bot.handlers.events.drafts import Draft
from db.engine import Sessions, writing
from db.models import ContactRequest, Event, PartnerCall, PostAnswer
from testing.fake_bot_api.objects import JSON
from tests.conversation import Conversation


async def internship(
    sessions: Sessions,
    host_id: int,
    poster: int,
    now: datetime,
    *,
    places: int,
    deadline: datetime,
    title: str = "Ամառային պրակտիկա <Երևանում>",
) -> int:
    """An internship in Yerevan the host posted: approved, published (announced to the
    organisations it suits), with its places and application deadline."""
    start = now + timedelta(days=30)
    draft = Draft(
        kind="internship", title=title, description="Two weeks with our legal team.",
        starts_at=start, ends_at=start + timedelta(days=14), time_zone="Asia/Yerevan",
        place="Yerevan", deadline=deadline,
    )  # fmt: skip
    event_id = await drafts.save(sessions, draft, poster, now, host=host_id, review="approved")
    async with writing(sessions) as session:
        await session.execute(update(Event).where(Event.id == event_id).values(places=places))
    assert await publishing.publish(sessions, event_id, now, "ru", by=poster) is not None
    return event_id


async def partner_call(
    sessions: Sessions, host_id: int, poster: int, now: datetime, deadline: date
) -> int:
    async with writing(sessions) as session:
        call = PartnerCall(
            host_organisation_id=host_id, posted_by=poster, title="Open data <together>",
            description="A joint project.", topics=[], countries=[], languages=[],
            deadline=deadline, time_zone="Asia/Almaty", review="approved", created_at=now,
        )  # fmt: skip
        session.add(call)
        await session.flush()
        return call.id


async def answered(
    sessions: Sessions,
    kind: str,
    post_id: int,
    host_id: int,
    organisation_id: int,
    user_id: int,
    now: datetime,
    *,
    status: str = "pending",
) -> int:
    """An answer recorded directly, with its contact request in `status`."""
    async with writing(sessions) as session:
        request = ContactRequest(
            sender_id=organisation_id, recipient_id=host_id, asked_by=user_id, status=status,
            created_at=now, decided_at=now if status != "pending" else None,
        )  # fmt: skip
        session.add(request)
        await session.flush()
        answer = PostAnswer(
            kind=kind, post_id=post_id, host_organisation_id=host_id,
            organisation_id=organisation_id, user_id=user_id, message="Hello",
            request_id=request.id, created_at=now,
        )  # fmt: skip
        session.add(answer)
        await session.flush()
        return answer.id


def labels(message: JSON) -> list[str]:
    """The texts of a sent message's inline buttons, row after row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [str(button["text"]) for row in rows for button in row]


def newest_with(chat: Conversation, words: str) -> JSON:
    """The newest message of the chat that holds `words`."""
    return next(m for m in reversed(chat.messages()) if words in str(m.get("text", "")))


def files_of(chat: Conversation) -> list[JSON]:
    """The files (.ics) the chat was sent."""
    return [m for m in chat.messages() if "document" in m]
