"""the one-stop desk receiving a dossier for its agency (the provincial public-service centre)

Revision ID: b5e7c3a1f902
Revises: 9d4f2b6e8a10
Create Date: 2026-12-02 04:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'b5e7c3a1f902'
down_revision: str | None = '9d4f2b6e8a10'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'workflow_dossier',
        sa.Column('receiving_agency_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.create_index(
        'ix_workflow_dossier_receiving_queue',
        'workflow_dossier',
        ['receiving_agency_id', 'due_at', 'code'],
        unique=False,
        postgresql_where=sa.text('in_queue AND receiving_agency_id IS NOT NULL'),
    )


def downgrade() -> None:
    op.drop_index(
        'ix_workflow_dossier_receiving_queue',
        table_name='workflow_dossier',
        postgresql_where=sa.text('in_queue AND receiving_agency_id IS NOT NULL'),
    )
    op.drop_column('workflow_dossier', 'receiving_agency_id')
