"""suggestion indexes seek by one matched column

"Suggested for you" used to seek share_mask and learn_mask together, one probe per pair
of values: tens of thousands of probes for the large overlap classes. It now seeks by the
column with fewer values and scores the rows of that range, so each mask leads an index
(after status and listed, which every suggestion fixes).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TAIL = ["audience", "country", "verified_until", "focus_mask", "format_mask"]


def upgrade() -> None:
    op.drop_index("ix_organisations_matching", table_name="organisations")
    op.drop_index("ix_organisations_share_learn", table_name="organisations")
    op.create_index(
        "ix_organisations_by_share",
        "organisations",
        ["status", "listed", "share_mask", "learn_mask", *TAIL],
    )
    op.create_index(
        "ix_organisations_by_learn",
        "organisations",
        ["status", "listed", "learn_mask", "share_mask", *TAIL],
    )


def downgrade() -> None:
    op.drop_index("ix_organisations_by_learn", table_name="organisations")
    op.drop_index("ix_organisations_by_share", table_name="organisations")
    op.create_index(
        "ix_organisations_share_learn",
        "organisations",
        ["share_mask", "learn_mask", "status", "listed", *TAIL],
    )
    op.create_index(
        "ix_organisations_matching",
        "organisations",
        ["status", "listed", "audience", "country", "verified_until",
         "share_mask", "learn_mask", "focus_mask", "format_mask"],
    )  # fmt: skip
