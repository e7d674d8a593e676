"""processes superseded by a newer version; officers' copy (officer.upserted.v1) for assignment

Revision ID: 7c31e5a9d2f4
Revises: 4b8e2d1c7a55
Create Date: 2026-12-02 04:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '7c31e5a9d2f4'
down_revision: str | None = '4b8e2d1c7a55'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('workflow_process', sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True))
    # Several published versions of one procedure and agency: only the newest stays in force.
    op.execute(
        "UPDATE workflow_process p SET state = 'superseded', superseded_at = newer.published_at"
        " FROM workflow_process newer WHERE p.state = 'published' AND newer.state = 'published'"
        " AND newer.procedure_code = p.procedure_code AND newer.agency_id = p.agency_id"
        " AND newer.version = (SELECT max(version) FROM workflow_process x WHERE x.state = 'published'"
        " AND x.procedure_code = p.procedure_code AND x.agency_id = p.agency_id)"
        " AND newer.version > p.version"
    )
    op.create_table(
        'workflow_officer',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('agency_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('position', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('roles', sa.JSON(), nullable=False),
        sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('department_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_workflow_officer_agency_id'), 'workflow_officer', ['agency_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_workflow_officer_agency_id'), table_name='workflow_officer')
    op.drop_table('workflow_officer')
    op.execute("UPDATE workflow_process SET state = 'published' WHERE state = 'superseded'")
    op.drop_column('workflow_process', 'superseded_at')
