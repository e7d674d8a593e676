"""fees paid, supplement-round files and the procedure's result documents for the portal record

Revision ID: e3b91f0c7a42
Revises: 76961dc549f0
Create Date: 2026-12-02 04:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e3b91f0c7a42'
down_revision: str | None = '76961dc549f0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('sync_procedure', sa.Column('result_documents', sa.JSON(), nullable=True))
    op.add_column('sync_dossier', sa.Column('supplement_files', sa.JSON(), nullable=True))
    op.add_column('sync_dossier', sa.Column('fees', sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column('sync_dossier', 'fees')
    op.drop_column('sync_dossier', 'supplement_files')
    op.drop_column('sync_procedure', 'result_documents')
