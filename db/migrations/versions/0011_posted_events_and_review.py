"""events posted by organisations, reviewed by admins

`events` gets who posted it and for which organisation (`host_organisation_id`,
`posted_by`; both empty for admins' own events), and its review: `review` is "pending",
"approved" or "rejected" (every existing event, an admin's, is "approved"), with who
decided, when, the reason picked (`review_reason`) and an optional note. `review_copies`
remembers each admin's copy of a post waiting for review (user, message), so that the first
decision can close the others.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("host_organisation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("posted_by", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("review", sa.String(length=16), nullable=False, server_default="approved")
        )
        batch.add_column(sa.Column("reviewed_by", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("review_reason", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("review_note", sa.String(length=500), nullable=True))
        batch.create_foreign_key(
            op.f("fk_events_host_organisation_id_organisations"),
            "organisations",
            ["host_organisation_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_events_review", ["review", "created_at"])
    op.create_table(
        "review_copies",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_review_copies_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "user_id", "message_id", name=op.f("pk_review_copies")),
    )


def downgrade() -> None:
    op.drop_table("review_copies")
    with op.batch_alter_table("events") as batch:
        batch.drop_index("ix_events_review")
        batch.drop_constraint(
            op.f("fk_events_host_organisation_id_organisations"), type_="foreignkey"
        )
        batch.drop_column("review_note")
        batch.drop_column("review_reason")
        batch.drop_column("reviewed_at")
        batch.drop_column("reviewed_by")
        batch.drop_column("review")
        batch.drop_column("posted_by")
        batch.drop_column("host_organisation_id")
