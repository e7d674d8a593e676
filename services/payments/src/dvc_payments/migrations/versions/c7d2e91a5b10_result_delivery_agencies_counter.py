"""result delivery, agencies, per-agency beneficiaries, obligations waiting for configuration,
counter payments

Revision ID: c7d2e91a5b10
Revises: b16e7a2c4d90
Create Date: 2026-12-02 04:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'c7d2e91a5b10'
down_revision: str | None = 'b16e7a2c4d90'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('payments_dossier', sa.Column('result_delivery', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.add_column('payments_request', sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.add_column('payments_request', sa.Column('collected_by', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True))
    op.create_table(
        'payments_agency',
        sa.Column('agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('agency_id'),
    )
    op.create_table(
        'payments_procedure_agency',
        sa.Column('procedure_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('agency_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('beneficiary_agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('procedure_code', 'agency_id'),
    )
    op.create_table(
        'payments_waiting_obligation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dossier_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('procedure_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('account_agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('missing', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('payment_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('dossier_code', 'stage', name='uq_payments_waiting_dossier_stage'),
    )
    op.create_index(op.f('ix_payments_waiting_obligation_agency_id'), 'payments_waiting_obligation', ['agency_id'], unique=False)
    op.create_index(op.f('ix_payments_waiting_obligation_account_agency_id'), 'payments_waiting_obligation', ['account_agency_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_payments_waiting_obligation_account_agency_id'), table_name='payments_waiting_obligation')
    op.drop_index(op.f('ix_payments_waiting_obligation_agency_id'), table_name='payments_waiting_obligation')
    op.drop_table('payments_waiting_obligation')
    op.drop_table('payments_procedure_agency')
    op.drop_table('payments_agency')
    op.drop_column('payments_request', 'collected_by')
    op.drop_column('payments_request', 'method')
    op.drop_column('payments_dossier', 'result_delivery')
