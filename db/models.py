"""SQLAlchemy 2 typed models. The same models run on SQLite and PostgreSQL (their declarative
base, `Base`, and its UTC datetime type are in db/base.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base as Base
from db.base import UTCDateTime as UTCDateTime
from db.base import utcnow as utcnow


class User(Base):
    """A Telegram user who has written to the bot."""

    __tablename__ = "users"
    # A partner call's audience reads each member's switch, state, language and zone from
    # this index alone (bot/handlers/posts/queries.py), never the row.
    __table_args__ = (
        Index(
            "ix_users_call_audience",
            "id", "partner_calls_on", "is_active", "language", "time_zone",
            unique=True,
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(256), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Event announcements: None = the zone of the organisation's country (or language).
    time_zone: Mapped[str | None] = mapped_column(String(64))
    events_on: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Event kinds and topics followed; None = all kinds / the profile's topics.
    event_kinds: Mapped[list[str] | None] = mapped_column(JSON)
    event_topics: Mapped[list[str] | None] = mapped_column(JSON)
    # The weekly digest (Mondays): on or off, and the last week (ISO "2026-W49") claimed.
    digest_on: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    digest_week: Mapped[str | None] = mapped_column(String(10))
    # Partner calls of other organisations whose topics this one can share: on or off.
    partner_calls_on: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Organisation(Base):
    """An organisation's profile, filled in through the questionnaire."""

    __tablename__ = "organisations"
    __table_args__ = (
        # "Suggested for you" seeks the rows of one overlap class by the values of one
        # matched column (whichever has fewer) and scores them from the index alone; the
        # same indexes cover the scored scan of every visible row (see db.directory.suggested).
        Index(
            "ix_organisations_by_share",
            "status", "listed", "share_mask", "learn_mask", "audience", "country",
            "verified_until", "focus_mask", "format_mask",
        ),
        Index(
            "ix_organisations_by_learn",
            "status", "listed", "learn_mask", "share_mask", "audience", "country",
            "verified_until", "focus_mask", "format_mask",
        ),
        # Search pages walk this in order (valid badges first, newest next) and stop.
        Index("ix_organisations_directory", "status", "listed", "verified_until"),
        # The week's newcomers, for the weekly digest.
        Index("ix_organisations_created_at", "created_at"),
        # The same walk within one country (the country filter, statistics per country).
        Index(
            "ix_organisations_country_directory", "country", "status", "listed", "verified_until"
        ),
        # /stats: every answer summed per country from this index alone, and an
        # organisation's status and country by id for the joins (db/stats.py).
        Index(
            "ix_organisations_statistics",
            "status", "country", "cross_border", "share_mask", "learn_mask", "focus_mask",
            "format_mask", "barrier_mask",
        ),
        Index("ix_organisations_by_id", "id", "status", "country"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(8))
    city: Mapped[str] = mapped_column(String(120))
    cross_border: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))
    contact: Mapped[str | None] = mapped_column(String(300))
    listed: Mapped[bool] = mapped_column(Boolean, default=True)
    # Who may find us when listed: "all", "verified" organisations, or our own "country".
    audience: Mapped[str] = mapped_column(String(16), default="all")
    # Moderation: "active", "hidden" (out of the directory) or "banned" (and locked out).
    status: Mapped[str] = mapped_column(String(16), default="active")
    verified_at: Mapped[datetime | None] = mapped_column()
    verified_until: Mapped[datetime | None] = mapped_column()
    badge_reminded_at: Mapped[datetime | None] = mapped_column()
    # The tags again as bit masks (bit = the code's position in its vocabulary), so that
    # "suggested for you" is scored inside the database from one covering index.
    share_mask: Mapped[int] = mapped_column(Integer, default=0)
    learn_mask: Mapped[int] = mapped_column(Integer, default=0)
    focus_mask: Mapped[int] = mapped_column(Integer, default=0)
    format_mask: Mapped[int] = mapped_column(Integer, default=0)
    # Barriers (bit i = BARRIERS' i-th code), for /stats only: the directory searches none.
    barrier_mask: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    tags: Mapped[list[OrganisationTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", passive_deletes=True
    )


ROLES = ("owner", "member")


class Membership(Base):
    """A person's place in an organisation: its owner or a member. A person belongs to at
    most one organisation (the primary key); an organisation always keeps an owner."""

    __tablename__ = "memberships"
    __table_args__ = (
        Index("ix_memberships_organisation_role", "organisation_id", "role"),
        # An organisation's people without reading the rows (a partner call's audience).
        Index("ix_memberships_by_organisation", "organisation_id", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(8), default="member")  # one of ROLES
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class InviteLink(Base):
    """A link that lets colleagues join an organisation: only the sha256 of its token is
    kept, so the table alone lets nobody in."""

    __tablename__ = "invite_links"
    __table_args__ = (Index("ix_invite_links_organisation_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    uses_left: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column()


class JoinRequest(Base):
    """Someone asking to join an organisation they found at onboarding; its owners decide."""

    __tablename__ = "join_requests"
    __table_args__ = (
        Index(
            "uq_join_requests_pending_user",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_join_requests_organisation_status", "organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # accepted, declined
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    # Each owner's copy of the request, [user id, message id], to close the others' copies.
    copies: Mapped[list[list[int]] | None] = mapped_column(JSON)


class OrganisationTag(Base):
    """One taxonomy code attached to an organisation (focus area, topic, format, …).

    A narrow table instead of JSON lists so that search can filter on an index
    on both SQLite and PostgreSQL.
    """

    __tablename__ = "organisation_tags"
    __table_args__ = (Index("ix_organisation_tags_kind_code", "kind", "code", "organisation_id"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), primary_key=True)


# Word index: on PostgreSQL the byte order ("C" collation) makes prefix ranges exact.
_Word = String(64).with_variant(String(64, collation="C"), "postgresql")


class OrganisationWord(Base):
    """One normalised word of an organisation's name, city or description.

    Free-text search looks words up by prefix range (`word >= 'abc' AND word < 'abd'`),
    which uses the primary key on SQLite and PostgreSQL alike and treats every script
    the same: case is folded in Python, where Unicode rules are complete."""

    __tablename__ = "organisation_words"
    __table_args__ = (Index("ix_organisation_words_organisation_id", "organisation_id"),)

    word: Mapped[str] = mapped_column(_Word, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )


class MaskValue(Base):
    """Every value a mask column holds somewhere (values are only ever added), so that
    "suggested for you" can seek the rows of one overlap class through an index."""

    __tablename__ = "mask_values"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # the column's name
    value: Mapped[int] = mapped_column(Integer, primary_key=True)


class ContactRequest(Base):
    """One organisation asking another for its contacts."""

    __tablename__ = "contact_requests"
    __table_args__ = (
        Index("ix_contact_requests_sender_created", "sender_id", "created_at"),
        Index(
            "uq_contact_requests_pending_pair",
            "sender_id",
            "recipient_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_contact_requests_status_decided", "status", "decided_at"),
        Index("ix_contact_requests_followup_due", "followup_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # The member who asked and the member who answered (contacts go to both).
    asked_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()
    followup_sent_at: Mapped[datetime | None] = mapped_column()
    # The follow-up brought forward: the day after a call the two sides agreed on.
    followup_due_at: Mapped[datetime | None] = mapped_column()


class RequestCopy(Base):
    """One member's copy of an incoming contact request, so that the copies of the others
    lose their buttons once one member answers."""

    __tablename__ = "request_copies"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("contact_requests.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger)


class IntroductionOutcome(Base):
    """What one side says came of an accepted introduction (asked once, two weeks on)."""

    __tablename__ = "introduction_outcomes"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("contact_requests.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    outcome: Mapped[str | None] = mapped_column(String(16))
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column()


class Verification(Base):
    """An organisation's request for the trust badge, and an admin's decision on it."""

    __tablename__ = "verifications"
    __table_args__ = (
        Index(
            "uq_verifications_pending_organisation",
            "organisation_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_verifications_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    registration_number: Mapped[str] = mapped_column(String(64))
    website: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()


class Report(Base):
    """A user's report about an organisation's profile, and how admins dealt with it."""

    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_status_created", "status", "created_at"),
        Index(
            "uq_reports_open_reporter",
            "organisation_id",
            "reporter_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()


class FsmRecord(Base):
    """aiogram FSM state and data for one storage key (questionnaire progress lives here)."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Broadcast(Base):
    """An admin's message to many users: what to send, to whom, and how far it got."""

    __tablename__ = "broadcasts"
    __table_args__ = (Index("ix_broadcasts_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    admin_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(8))  # the admin's, for the status and report
    status: Mapped[str] = mapped_column(String(16), default="running")  # done, cancelled
    # Either HTML typed after /broadcast, or a message to copy (media and formatting kept).
    text: Mapped[str | None] = mapped_column(Text)
    from_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(Integer)
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    total: Mapped[int] = mapped_column(Integer, default=0)
    # The admin's status message, edited in place while the broadcast runs.
    status_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    status_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


class Delivery(Base):
    """One recipient of a broadcast, written before the first send: pending, sent,
    blocked (the bot or the account is gone) or failed, with Telegram's error."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_broadcast_state", "broadcast_id", "state", "user_id"),)

    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    state: Mapped[str] = mapped_column(String(8), default="pending")
    error: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime | None] = mapped_column()
    # Several workers (PostgreSQL): who took this pending row to send, and until when.
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None] = mapped_column()


class Lease(Base):
    """A lease one worker holds at a time (the scheduler's): renewed by its holder every
    few seconds, taken by another once it has expired."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime] = mapped_column()


# The events', the meetings', the partner calls' and the channel's tables live in
# db/event_models.py, db/meeting_models.py, db/call_models.py and db/channel_models.py
# (this module would pass 500 lines).
from db.call_models import PartnerCall as PartnerCall  # noqa: E402
from db.call_models import PartnerCallCopy as PartnerCallCopy  # noqa: E402
from db.call_models import PartnerCallNotice as PartnerCallNotice  # noqa: E402
from db.call_models import PostAnswer as PostAnswer  # noqa: E402
from db.call_models import PostAnswerCopy as PostAnswerCopy  # noqa: E402
from db.channel_models import ChannelPost as ChannelPost  # noqa: E402
from db.event_models import Event as Event  # noqa: E402
from db.event_models import Notice as Notice  # noqa: E402
from db.event_models import ReviewCopy as ReviewCopy  # noqa: E402
from db.event_models import Rsvp as Rsvp  # noqa: E402
from db.meeting_models import Meeting as Meeting  # noqa: E402
from db.meeting_models import MeetingCopy as MeetingCopy  # noqa: E402
from db.meeting_models import MeetingNotice as MeetingNotice  # noqa: E402
from db.meeting_models import MeetingSlot as MeetingSlot  # noqa: E402
