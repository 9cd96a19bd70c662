"""weekly digest: users.digest_on, users.digest_week, organisations by creation time

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("digest_on", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("digest_week", sa.String(length=10), nullable=True))
    op.create_index("ix_organisations_created_at", "organisations", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_organisations_created_at", table_name="organisations")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("digest_week")
        batch_op.drop_column("digest_on")
