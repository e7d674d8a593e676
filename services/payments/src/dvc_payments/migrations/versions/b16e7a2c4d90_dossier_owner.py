"""the dossier's owner (who alone pays it online and reads its payments)

Revision ID: b16e7a2c4d90
Revises: 30d8012e9d28
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'b16e7a2c4d90'
down_revision: str | None = '30d8012e9d28'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('payments_dossier', sa.Column('owner_subject', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True))


def downgrade() -> None:
    op.drop_column('payments_dossier', 'owner_subject')
