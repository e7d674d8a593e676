"""citizens verified at the counter before any login (last_login_at may be empty)

Revision ID: c4e2f7a1d9b3
Revises: b7c1a9e4d220
Create Date: 2026-12-02 04:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e2f7a1d9b3"
down_revision: str | None = "b7c1a9e4d220"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("identity_citizen", "last_login_at", existing_type=sa.DateTime(timezone=True), nullable=True)
    op.create_index("ix_identity_citizen_kind_identifier", "identity_citizen", ["kind", "identifier"])


def downgrade() -> None:
    op.drop_index("ix_identity_citizen_kind_identifier", table_name="identity_citizen")
    op.execute("UPDATE identity_citizen SET last_login_at = now() WHERE last_login_at IS NULL")
    op.alter_column(
        "identity_citizen", "last_login_at", existing_type=sa.DateTime(timezone=True), nullable=False
    )
