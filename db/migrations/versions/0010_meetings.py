"""meetings: video calls agreed between two introduced organisations

`meetings` holds a proposal (who proposed to whom, for which introduction) and, once a slot
is picked, the agreed call: its start, length, video link and calendar sequence;
`meeting_slots` the (up to three) times offered; `meeting_copies` each member's copy of a
proposal, closed when one member answers; `meeting_notices` the reminders, one row per
person, claimed before their send like the events' notices. `contact_requests` gets
`followup_due_at`: the follow-up brought forward to the day after the call.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("proposer_org", sa.Integer(), nullable=False),
        sa.Column("invitee_org", sa.Integer(), nullable=False),
        sa.Column("proposed_by", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("picked_by", sa.BigInteger(), nullable=True),
        sa.Column("starts_at", MOMENT, nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("decided_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["contact_requests.id"],
            name=op.f("fk_meetings_request_id_contact_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposer_org"],
            ["organisations.id"],
            name=op.f("fk_meetings_proposer_org_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invitee_org"],
            ["organisations.id"],
            name=op.f("fk_meetings_invitee_org_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings") as batch:
        batch.create_index("ix_meetings_pair_status", ["proposer_org", "invitee_org", "status"])
        batch.create_index("ix_meetings_status_starts", ["status", "starts_at"])
        batch.create_index(batch.f("ix_meetings_request_id"), ["request_id"])
    op.create_table(
        "meeting_slots",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("starts_at", MOMENT, nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_slots_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "position", name=op.f("pk_meeting_slots")),
    )
    op.create_table(
        "meeting_copies",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_copies_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "user_id", "message_id", name=op.f("pk_meeting_copies")
        ),
    )
    op.create_table(
        "meeting_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", MOMENT, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("updated_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_notices_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_notices")),
    )
    with op.batch_alter_table("meeting_notices") as batch:
        batch.create_index("ix_meeting_notices_state_due", ["state", "due_at"])
        batch.create_index(
            "uq_meeting_notices_meeting_user_kind", ["meeting_id", "user_id", "kind"], unique=True
        )
    with op.batch_alter_table("contact_requests") as batch:
        batch.add_column(sa.Column("followup_due_at", MOMENT, nullable=True))
        batch.create_index("ix_contact_requests_followup_due", ["followup_due_at"])


def downgrade() -> None:
    with op.batch_alter_table("contact_requests") as batch:
        batch.drop_index("ix_contact_requests_followup_due")
        batch.drop_column("followup_due_at")
    op.drop_table("meeting_notices")
    op.drop_table("meeting_copies")
    op.drop_table("meeting_slots")
    op.drop_table("meetings")
