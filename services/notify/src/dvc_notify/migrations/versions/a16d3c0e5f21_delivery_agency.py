"""the handling agency of each delivery (who may read it)

Revision ID: a16d3c0e5f21
Revises: cf5de784beaf
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'a16d3c0e5f21'
down_revision: str | None = 'cf5de784beaf'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('notify_delivery', sa.Column('agency_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_index(op.f('ix_notify_delivery_agency_id'), 'notify_delivery', ['agency_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_notify_delivery_agency_id'), table_name='notify_delivery')
    op.drop_column('notify_delivery', 'agency_id')
