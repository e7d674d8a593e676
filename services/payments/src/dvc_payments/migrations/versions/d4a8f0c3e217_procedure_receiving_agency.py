"""the agency whose one-stop desk receives a procedure's dossiers (procedure.published.v1 agencies'
receiving_agency_id): its one-stop officer records counter payments

Revision ID: d4a8f0c3e217
Revises: c7d2e91a5b10
Create Date: 2026-12-02 11:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'd4a8f0c3e217'
down_revision: str | None = 'c7d2e91a5b10'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'payments_procedure_agency',
        sa.Column('receiving_agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    # Rows projected before: the performing agency receives (the next publication corrects it).
    op.execute('UPDATE payments_procedure_agency SET receiving_agency_id = agency_id')
    op.alter_column('payments_procedure_agency', 'receiving_agency_id', nullable=False)


def downgrade() -> None:
    op.drop_column('payments_procedure_agency', 'receiving_agency_id')
