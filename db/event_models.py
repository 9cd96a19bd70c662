"""The events' tables: events (admins' and organisations' posts), each admin's copy of a post
waiting for review, RSVPs and the notices queue (re-exported by db.models)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class Event(Base):
    """A webinar, internship, conference, course or meeting that admins announce."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_status_starts", "status", "starts_at"),
        Index("ix_events_review", "review", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    time_zone: Mapped[str] = mapped_column(String(64))  # the admin's, as typed
    link: Mapped[str | None] = mapped_column(String(512))  # online
    place: Mapped[str | None] = mapped_column(String(300))  # offline
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # expertise; empty: any
    focus: Mapped[list[str]] = mapped_column(JSON, default=list)  # focus areas; empty: any
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: all
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: all
    registration_url: Mapped[str | None] = mapped_column(String(512))
    deadline: Mapped[datetime | None] = mapped_column()  # applications (internships)
    places: Mapped[int | None] = mapped_column(Integer)  # internships: 1–50
    # An internship stops taking applications (the event itself still happens): at its
    # deadline, once its places are taken, or by the poster ("deadline" | "full" | "poster").
    applications_closed_at: Mapped[datetime | None] = mapped_column()
    closed_reason: Mapped[str | None] = mapped_column(String(12))
    # draft → scheduled (publish_at) → published; or cancelled.
    status: Mapped[str] = mapped_column(String(16), default="draft")
    publish_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    # Posted by a member for their organisation (empty for admins' own events), and its
    # review: pending → approved (published as admins' events are) or rejected (the poster
    # may edit and send it again). Admins' own events are approved.
    host_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    posted_by: Mapped[int | None] = mapped_column(BigInteger)
    review: Mapped[str] = mapped_column(String(16), default="approved", server_default="approved")
    reviewed_by: Mapped[int | None] = mapped_column(BigInteger)
    reviewed_at: Mapped[datetime | None] = mapped_column()
    review_reason: Mapped[str | None] = mapped_column(String(16))
    review_note: Mapped[str | None] = mapped_column(String(500))


class ReviewCopy(Base):
    """One admin's copy of a post waiting for review, so that the first decision can close
    the copies of the others."""

    __tablename__ = "review_copies"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class Rsvp(Base):
    """A user's answer to an announcement: attending or not."""

    __tablename__ = "rsvps"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    going: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notice(Base):
    """One scheduled message to one user about an event (announcement, reminder,
    cancellation): due time and state. The scheduler is rebuilt from these rows."""

    __tablename__ = "notices"
    __table_args__ = (
        Index("ix_notices_state_due", "state", "due_at"),
        Index("uq_notices_event_user_kind", "event_id", "user_id", "kind", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))  # announce, day, hour, deadline, cancelled
    due_at: Mapped[datetime] = mapped_column()
    # pending → sending (claimed, just before the send) → sent | blocked | failed | dropped
    # (a member's post back in review: pending → held → pending once approved again)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    updated_at: Mapped[datetime | None] = mapped_column()
