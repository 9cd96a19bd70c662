"""partner calls: their table and the users' "📣 Partner calls" switch

`partner_calls` holds an organisation's call for a partner (title, description, the topics
the partner should bring, countries, languages, the deadline as a date in the poster's
zone, an optional grant or programme) and its review as posts' events have it;
`partner_call_copies` each admin's copy of a call waiting for review (as `review_copies`);
`partner_call_notices` each user a call was announced to (claimed before the send).
`users.partner_calls_on` is the switch in /settings (on by default).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("partner_calls_on", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table(
        "partner_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host_organisation_id", sa.Integer(), nullable=False),
        sa.Column("posted_by", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("programme", sa.String(length=120), nullable=True),
        sa.Column("review", sa.String(length=16), nullable=False),
        sa.Column("reviewed_by", sa.BigInteger(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_reason", sa.String(length=16), nullable=True),
        sa.Column("review_note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_partner_calls_host_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_calls")),
    )
    op.create_index("ix_partner_calls_review", "partner_calls", ["review", "created_at"])
    op.create_table(
        "partner_call_copies",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["partner_calls.id"],
            name=op.f("fk_partner_call_copies_call_id_partner_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "call_id", "user_id", "message_id", name=op.f("pk_partner_call_copies")
        ),
    )

    op.create_table(
        "partner_call_notices",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["partner_calls.id"],
            name=op.f("fk_partner_call_notices_call_id_partner_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("call_id", "user_id", name=op.f("pk_partner_call_notices")),
    )


def downgrade() -> None:
    op.drop_table("partner_call_notices")
    op.drop_table("partner_call_copies")
    op.drop_index("ix_partner_calls_review", table_name="partner_calls")
    op.drop_table("partner_calls")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("partner_calls_on")
