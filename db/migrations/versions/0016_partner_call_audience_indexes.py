"""partner calls: the audience read from two covering indexes

An approved call's audience (the members of the organisations that can share its topics)
is counted per time zone and queued in one INSERT … SELECT. Both walk every member of the
matching organisations: `ix_memberships_by_organisation` gives an organisation's people and
`ix_users_call_audience` each person's switch, state, language and zone without reading
the rows (`make bench-posts`: the widest call of 100,000 organisations reaches 168,000
people).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 22:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_memberships_by_organisation", "memberships", ["organisation_id", "user_id"])
    op.create_index(
        "ix_users_call_audience",
        "users",
        ["id", "partner_calls_on", "is_active", "language", "time_zone"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_users_call_audience", table_name="users")
    op.drop_index("ix_memberships_by_organisation", table_name="memberships")
