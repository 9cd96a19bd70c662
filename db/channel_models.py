"""The public channel's table (re-exported by db.models): what the optional channel
(CHANNEL_ID) shows of each partner call and hosted event (issue 21.7)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class ChannelPost(Base):
    """A post of the channel: a partner call (`kind` "call") or a hosted event or
    internship ("event"), its message there, and what it shows. Each send or edit is
    claimed first (`shown` moves in one statement), so that it happens once across
    restarts and workers:

    new → posting (claimed) → open (posted) → closing (claimed) → closed;
    posting → refused (the channel refused: retried later), and a claim left by a stopped
    process is taken again after a while. A row of `kind` "refusal" (post 0) remembers
    that the admins were told the channel refuses the bot, until it accepts again."""

    __tablename__ = "channel_posts"
    __table_args__ = (Index("ix_channel_posts_shown", "shown", "updated_at"),)

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    post_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    shown: Mapped[str] = mapped_column(String(12), default="new")
    updated_at: Mapped[datetime | None] = mapped_column()
