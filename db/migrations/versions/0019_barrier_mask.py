"""statistics: organisations' barriers as a bit mask, in the statistics index

/stats counted barriers through their tags: one grouped join of the barrier tags with the
organisations, and one more read of the organisations for those that named any (the base
of an optional question). Both were over half of every view's time at 100,000
organisations (`make bench-stats`). As the other answers, barriers are now a mask column
(bit i = the i-th barrier, in the stored order below), summed in the same read of
ix_organisations_statistics, which now holds it; organisations saved before are filled in
from their tags.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of bot.taxonomy.BARRIERS' stored order (migrations never import the project;
# tests/db/test_migrations_frozen.py holds it to the live one).
BARRIERS: tuple[str, ...] = (
    "strategy", "platforms", "cost", "political", "state_policy", "legislation", "language",
    "other",
)  # fmt: skip

STATISTICS: list[str] = [
    "status", "country", "cross_border", "share_mask", "learn_mask", "focus_mask", "format_mask",
]  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("barrier_mask", sa.Integer(), nullable=False, server_default="0")
        )
    bits = " ".join(f"WHEN '{code}' THEN {1 << bit}" for bit, code in enumerate(BARRIERS))
    op.execute(
        "UPDATE organisations SET barrier_mask = COALESCE(("
        f"SELECT SUM(CASE t.code {bits} ELSE 0 END) FROM organisation_tags AS t"
        " WHERE t.organisation_id = organisations.id AND t.kind = 'barrier'), 0)"
    )
    op.drop_index("ix_organisations_statistics", table_name="organisations")
    op.create_index("ix_organisations_statistics", "organisations", [*STATISTICS, "barrier_mask"])


def downgrade() -> None:
    op.drop_index("ix_organisations_statistics", table_name="organisations")
    op.create_index("ix_organisations_statistics", "organisations", STATISTICS)
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("barrier_mask")
