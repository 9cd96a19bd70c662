"""The meetings' tables: calls proposed between introduced organisations, their slots, each
member's copy of a proposal, and the reminders (re-exported by db.models)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class Meeting(Base):
    """A video call proposed by one side of an accepted introduction to the other: up to
    three slots (`MeetingSlot`), then the one picked, its room and its calendar sequence."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_pair_status", "proposer_org", "invitee_org", "status"),
        Index("ix_meetings_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("contact_requests.id", ondelete="CASCADE"), index=True
    )
    proposer_org: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    invitee_org: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    proposed_by: Mapped[int] = mapped_column(BigInteger)
    # open → agreed (a slot picked) | declined ("not now") | swapped ("none fits") |
    # cancelled (an agreed call called off)
    status: Mapped[str] = mapped_column(String(12), default="open")
    picked_by: Mapped[int | None] = mapped_column(BigInteger)
    starts_at: Mapped[datetime | None] = mapped_column()
    minutes: Mapped[int | None] = mapped_column(Integer)
    link: Mapped[str | None] = mapped_column(String(300))  # VIDEO_BASE_URL + an unguessable room
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # the .ics SEQUENCE
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()


class MeetingSlot(Base):
    """One of the (up to three) times a proposal offers."""

    __tablename__ = "meeting_slots"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    starts_at: Mapped[datetime] = mapped_column()
    minutes: Mapped[int] = mapped_column(Integer)


class MeetingCopy(Base):
    """One member's copy of a proposal, so that the others close when one member answers."""

    __tablename__ = "meeting_copies"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class MeetingNotice(Base):
    """A reminder of an agreed call to one of its two people, like the events' notices:
    due time and state (pending → sending → sent | blocked | failed | dropped |
    interrupted), claimed just before its send so that it goes at most once."""

    __tablename__ = "meeting_notices"
    __table_args__ = (
        Index("ix_meeting_notices_state_due", "state", "due_at"),
        Index("uq_meeting_notices_meeting_user_kind", "meeting_id", "user_id", "kind", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16), default="reminder")
    due_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(12), default="pending")
    updated_at: Mapped[datetime | None] = mapped_column()
