"""local copies of the catalog, agencies, officers and dossiers; the audience of each delivery

Revision ID: b7e2c4d91a03
Revises: a16d3c0e5f21
Create Date: 2026-12-02 04:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'b7e2c4d91a03'
down_revision: str | None = 'a16d3c0e5f21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'notify_delivery',
        sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='applicant', nullable=False),
    )
    op.create_table(
        'notify_procedure',
        sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('receivers', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('code'),
    )
    op.create_table(
        'notify_agency',
        sa.Column('agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('agency_id'),
    )
    op.create_table(
        'notify_officer',
        sa.Column('officer_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('department_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('email', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('roles', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('officer_id'),
    )
    op.create_index('ix_notify_officer_agency', 'notify_officer', ['agency_id', 'department'], unique=False)
    op.create_table(
        'notify_dossier',
        sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('procedure_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('channel', sa.Integer(), nullable=True),
        sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column('assignee_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('code'),
    )


def downgrade() -> None:
    op.drop_table('notify_dossier')
    op.drop_index('ix_notify_officer_agency', table_name='notify_officer')
    op.drop_table('notify_officer')
    op.drop_table('notify_agency')
    op.drop_table('notify_procedure')
    op.drop_column('notify_delivery', 'audience')
