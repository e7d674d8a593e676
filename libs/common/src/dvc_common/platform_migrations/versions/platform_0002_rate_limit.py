"""Rate-limit counters shared by a service's replicas (dvc_common.ratelimit).

Revision ID: platform_0002
Revises: platform_0001
Create Date: 2026-12-02

A second head beside the service's own chain (which starts from platform_0001); `dvc migrate`
upgrades every head.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "platform_0002"
down_revision: str | None = "platform_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_counter",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_rate_limit_counter_window_end", "rate_limit_counter", ["window_end"])


def downgrade() -> None:
    op.drop_index("ix_rate_limit_counter_window_end", table_name="rate_limit_counter")
    op.drop_table("rate_limit_counter")
