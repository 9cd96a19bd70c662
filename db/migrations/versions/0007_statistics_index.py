"""statistics indexes: the counted organisations by country with their answers, and an
organisation's status and country by id

/stats sums every answer per country in one grouped read of the active organisations;
ix_organisations_statistics holds what that read needs, in country order, so it reads the
index alone instead of the wide rows (and sorts nothing). Its joins (barrier tags,
requests between two countries) look organisations up by id: ix_organisations_by_id gives
their status and country without reading the wide rows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 11:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_organisations_statistics",
        "organisations",
        ["status", "country", "cross_border", "share_mask", "learn_mask", "focus_mask",
         "format_mask"],
    )  # fmt: skip

    op.create_index("ix_organisations_by_id", "organisations", ["id", "status", "country"])


def downgrade() -> None:
    op.drop_index("ix_organisations_by_id", table_name="organisations")
    op.drop_index("ix_organisations_statistics", table_name="organisations")
