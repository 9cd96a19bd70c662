"""partner calls: the audience expanded a batch of organisations at a time

The approval no longer writes a notice row for each person a call reaches (the widest
calls reach 168,000 people: 1.5 s inside the admin's press). It only marks the call, and
the scheduler's duty queues the notices a batch of organisations at a time, in
organisation id order: `audience_cursor` is the last organisation id expanded (0: none
yet), NULL when nothing is left to expand. Calls approved before this revision were
queued whole by their approval: NULL.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("partner_calls") as batch:
        batch.add_column(sa.Column("audience_cursor", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("partner_calls") as batch:
        batch.drop_column("audience_cursor")
