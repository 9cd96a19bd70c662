"""The partner calls' tables (re-exported by db.models): an organisation seeking a partner
for a project, posted by a member and reviewed by admins, and each admin's copy of a call
waiting for review, each announcement of a call, and each answer to a call or to an
internship (issue 21)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class PartnerCall(Base):
    """ "We seek a partner": what the project is, what the partner should bring (topics),
    which countries, until when, for which grant or programme, in which languages."""

    __tablename__ = "partner_calls"
    __table_args__ = (Index("ix_partner_calls_review", "review", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    posted_by: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # what the partner brings
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: all
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: any
    deadline: Mapped[date] = mapped_column()  # the last day, in `time_zone`
    time_zone: Mapped[str] = mapped_column(String(64))  # the poster's
    programme: Mapped[str | None] = mapped_column(String(120))  # the grant or programme
    # pending → approved | rejected (reasons as posts' events); approved → closed.
    review: Mapped[str] = mapped_column(String(16), default="pending")
    reviewed_by: Mapped[int | None] = mapped_column(BigInteger)
    reviewed_at: Mapped[datetime | None] = mapped_column()
    review_reason: Mapped[str | None] = mapped_column(String(16))
    review_note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Closed at its deadline or by the poster ("deadline" | "poster"); a week later the
    # poster is asked whether a partner was found (asked once; the answer feeds /stats).
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_reason: Mapped[str | None] = mapped_column(String(12))
    found_asked_at: Mapped[datetime | None] = mapped_column()
    partner_found: Mapped[bool | None] = mapped_column(Boolean)
    # The audience queued by the scheduler a batch of organisations at a time, in id order
    # (bot/handlers/posts/audience.py): the last organisation id expanded (0 from the
    # approval: none yet); NULL when nothing is left to expand.
    audience_cursor: Mapped[int | None] = mapped_column(Integer)


class PartnerCallCopy(Base):
    """One admin's copy of a partner call waiting for review, so that the first decision
    can close the copies of the others."""

    __tablename__ = "partner_call_copies"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("partner_calls.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class PartnerCallNotice(Base):
    """A partner call announced to one user: claimed before the send (exactly once across
    restarts and workers), then sent, blocked or failed."""

    __tablename__ = "partner_call_notices"
    __table_args__ = (Index("ix_partner_call_notices_due", "state", "due_at"),)

    call_id: Mapped[int] = mapped_column(
        ForeignKey("partner_calls.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # pending → sending (claimed) → sent | blocked | failed
    state: Mapped[str] = mapped_column(String(12), default="pending")
    updated_at: Mapped[datetime | None] = mapped_column()
    # When the scheduler may send it: at once, or when the user's quiet hours end (None:
    # queued before the scheduler sent calls, due at once).
    due_at: Mapped[datetime | None] = mapped_column()


class PostAnswer(Base):
    """An organisation answering a post: "🙋 We're interested" in a partner call (`kind`
    "call", `post_id` a partner call) or "Apply" to an internship (`kind` "internship",
    `post_id` an event), with its message, and the contact request it became in the host's
    inbox. Those not accepted when the post closes are told once (`told_at`)."""

    __tablename__ = "post_answers"
    __table_args__ = (
        Index("ix_post_answers_post", "kind", "post_id"),
        Index("ix_post_answers_sender_created", "organisation_id", "created_at"),
        Index("ix_post_answers_host_created", "host_organisation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # "call" | "internship"
    post_id: Mapped[int] = mapped_column(Integer)
    host_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)  # the member who answered
    message: Mapped[str] = mapped_column(Text)  # at most 1,000 characters
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_requests.id", ondelete="SET NULL")
    )
    # pending → accepted | declined; pending → closed (the post closed first)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()
    told_at: Mapped[datetime | None] = mapped_column()
