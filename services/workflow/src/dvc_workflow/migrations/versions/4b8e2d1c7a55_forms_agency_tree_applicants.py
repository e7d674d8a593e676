"""forms: the agency tree and the applicants, for the control slip and the register

Revision ID: 4b8e2d1c7a55
Revises: 682e99acd9cc
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '4b8e2d1c7a55'
down_revision: str | None = '682e99acd9cc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'workflow_agency',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('parent_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'workflow_applicant',
        sa.Column('dossier_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.PrimaryKeyConstraint('dossier_code'),
    )


def downgrade() -> None:
    op.drop_table('workflow_applicant')
    op.drop_table('workflow_agency')
