"""The partner calls' tables (re-exported by db.models): an organisation seeking a partner
for a project, posted by a member and reviewed by admins, and each admin's copy of a call
waiting for review, and each announcement of a call (issue 21)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
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
