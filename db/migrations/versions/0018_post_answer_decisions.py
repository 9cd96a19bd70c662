"""post answers: decided on their notice when they became no contact request

An organisation connected to the host already answers a post without a contact request;
the host's members accept or decline that answer on its notice: who decided
(`post_answers.decided_by`) and each member's copy (`post_answer_copies`), so that the
first decision closes the others.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 01:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("post_answers") as batch:
        batch.add_column(sa.Column("decided_by", sa.BigInteger(), nullable=True))
    op.create_table(
        "post_answer_copies",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["post_answers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("answer_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("post_answer_copies")
    with op.batch_alter_table("post_answers") as batch:
        batch.drop_column("decided_by")
