"""forms: procedure components, the agency tree, the printable payment receipt

Revision ID: 7f3c1e2a9b40
Revises: 13ee6f1dd6d2
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '7f3c1e2a9b40'
down_revision: str | None = '13ee6f1dd6d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('intake_procedure', sa.Column('components', sa.JSON(), nullable=True))
    op.create_table(
        'intake_agency',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('parent_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.add_column('intake_payment_receipt', sa.Column('slip_id', sa.Integer(), nullable=True))
    op.create_foreign_key(None, 'intake_payment_receipt', 'intake_slip', ['slip_id'], ['id'])


def downgrade() -> None:
    op.drop_constraint('intake_payment_receipt_slip_id_fkey', 'intake_payment_receipt', type_='foreignkey')
    op.drop_column('intake_payment_receipt', 'slip_id')
    op.drop_table('intake_agency')
    op.drop_column('intake_procedure', 'components')
