"""posts: internships' places, closing, and the answers to calls and internships

`events.places` (internships, 1–50), `events.applications_closed_at` and
`events.closed_reason` (an internship stops taking applications at its deadline, when its
places are taken, or by the poster); `partner_calls.closed_at`, `closed_reason`,
`found_asked_at` and `partner_found` (closing, and "was a partner found?" a week later);
`post_answers` each organisation's answer to a call or an internship, with the contact
request it became.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 21:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("places", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("applications_closed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("closed_reason", sa.String(length=12), nullable=True))
    with op.batch_alter_table("partner_calls") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("closed_reason", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("found_asked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("partner_found", sa.Boolean(), nullable=True))
    op.create_table(
        "post_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("host_organisation_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["host_organisation_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["request_id"], ["contact_requests.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_post_answers_post", "post_answers", ["kind", "post_id"])
    op.create_index(
        "ix_post_answers_sender_created", "post_answers", ["organisation_id", "created_at"]
    )
    op.create_index(
        "ix_post_answers_host_created", "post_answers", ["host_organisation_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_table("post_answers")
    with op.batch_alter_table("partner_calls") as batch:
        for column in ("partner_found", "found_asked_at", "closed_reason", "closed_at"):
            batch.drop_column(column)
    with op.batch_alter_table("events") as batch:
        for column in ("closed_reason", "applications_closed_at", "places"):
            batch.drop_column(column)
