"""departments of agencies, officers' department, four-eyes pending changes (issues 15, 16)

Revision ID: d91b3c6e5a27
Revises: c4e2f7a1d9b3
Create Date: 2026-12-02 04:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "d91b3c6e5a27"
down_revision: str | None = "c4e2f7a1d9b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identity_department",
        sa.Column("agency_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["identity_agency.id"]),
        sa.PrimaryKeyConstraint("agency_id", "code"),
    )
    op.add_column(
        "identity_officer", sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
    )
    op.create_foreign_key(
        "fk_identity_officer_department",
        "identity_officer",
        "identity_department",
        ["agency_id", "department"],
        ["agency_id", "code"],
    )
    op.create_index("ix_identity_officer_agency_department", "identity_officer", ["agency_id", "department"])
    op.create_table(
        "identity_pending_change",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("change", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["identity_officer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_identity_pending_change_officer_id"), "identity_pending_change", ["officer_id"], unique=False
    )
    op.create_index(
        "ux_identity_pending_change_open",
        "identity_pending_change",
        ["officer_id"],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("ux_identity_pending_change_open", table_name="identity_pending_change")
    op.drop_index(op.f("ix_identity_pending_change_officer_id"), table_name="identity_pending_change")
    op.drop_table("identity_pending_change")
    op.drop_index("ix_identity_officer_agency_department", table_name="identity_officer")
    op.drop_constraint("fk_identity_officer_department", "identity_officer", type_="foreignkey")
    op.drop_column("identity_officer", "department")
    op.drop_table("identity_department")
