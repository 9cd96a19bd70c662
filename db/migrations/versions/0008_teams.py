"""teams: memberships, invite links and join requests; organisations.owner_id moves into
an owner membership; who asked and who answered a contact request, and each member's copy

An organisation is a team: every owner_id becomes the organisation's owner membership
(joined when the organisation was created), and the column goes, so that nothing reads
the owner in two places. The downgrade puts back the earliest owner of each organisation
(every organisation keeps at least one) and forgets the other members.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("joined_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_memberships_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_memberships")),
    )
    op.create_index("ix_memberships_organisation_role", "memberships", ["organisation_id", "role"])
    op.create_table(
        "invite_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("uses_left", sa.Integer(), nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_invite_links_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invite_links_token_hash")),
    )
    op.create_index("ix_invite_links_organisation_id", "invite_links", ["organisation_id"])
    op.create_table(
        "join_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("copies", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_join_requests_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_join_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_requests")),
    )
    op.create_index(
        "ix_join_requests_organisation_status", "join_requests", ["organisation_id", "status"]
    )
    op.create_index(
        "uq_join_requests_pending_user",
        "join_requests",
        ["user_id"],
        unique=True,
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asked_by", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("decided_by", sa.BigInteger(), nullable=True))
    op.create_table(
        "request_copies",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["contact_requests.id"],
            name=op.f("fk_request_copies_request_id_contact_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "user_id", name=op.f("pk_request_copies")),
    )

    op.execute(
        "INSERT INTO memberships (user_id, organisation_id, role, joined_at) "
        "SELECT owner_id, id, 'owner', created_at FROM organisations"
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_organisations_owner_id", type_="unique")
        batch_op.drop_constraint("fk_organisations_owner_id_users", type_="foreignkey")
        batch_op.drop_column("owner_id")


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.BigInteger(), nullable=True))
    # The earliest owner of each organisation (ties: the smallest id) owns it again.
    op.execute(
        "UPDATE organisations SET owner_id = ("
        " SELECT m.user_id FROM memberships m"
        " WHERE m.organisation_id = organisations.id AND m.role = 'owner'"
        " ORDER BY m.joined_at, m.user_id LIMIT 1)"
    )
    op.execute("DELETE FROM organisations WHERE owner_id IS NULL")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column("owner_id", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_unique_constraint("uq_organisations_owner_id", ["owner_id"])
        batch_op.create_foreign_key(
            "fk_organisations_owner_id_users", "users", ["owner_id"], ["id"], ondelete="CASCADE"
        )
    op.drop_table("request_copies")
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.drop_column("decided_by")
        batch_op.drop_column("asked_by")
    op.drop_index("uq_join_requests_pending_user", table_name="join_requests")
    op.drop_index("ix_join_requests_organisation_status", table_name="join_requests")
    op.drop_table("join_requests")
    op.drop_index("ix_invite_links_organisation_id", table_name="invite_links")
    op.drop_table("invite_links")
    op.drop_index("ix_memberships_organisation_role", table_name="memberships")
    op.drop_table("memberships")
