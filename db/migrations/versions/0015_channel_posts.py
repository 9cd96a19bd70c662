"""channel posts: what the optional public channel shows of each call and offer

`channel_posts` one row per partner call or hosted event posted to CHANNEL_ID: its
message there and what it shows (claimed before each send or edit, so that a restart or a
second worker never posts it twice); a row with `kind` "refusal" remembers that the admins
were told the channel refuses the bot.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_posts",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("shown", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kind", "post_id"),
    )
    op.create_index("ix_channel_posts_shown", "channel_posts", ["shown", "updated_at"])


def downgrade() -> None:
    op.drop_table("channel_posts")
