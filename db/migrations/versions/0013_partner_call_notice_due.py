"""partner call notices: when each is due

An approved partner call is no longer sent inside the admin's press: each recipient's
notice is queued with `due_at` (at once, or at the end of their quiet hours) and the
scheduler sends it. Rows queued before this revision have none: they are due at once.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("partner_call_notices") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_partner_call_notices_due", "partner_call_notices", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_partner_call_notices_due", table_name="partner_call_notices")
    with op.batch_alter_table("partner_call_notices") as batch:
        batch.drop_column("due_at")
