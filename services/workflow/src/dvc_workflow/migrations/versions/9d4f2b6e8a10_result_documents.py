"""the electronic result documents attached to a dossier (an online return needs them)

Revision ID: 9d4f2b6e8a10
Revises: 7c31e5a9d2f4
Create Date: 2026-12-02 04:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '9d4f2b6e8a10'
down_revision: str | None = '7c31e5a9d2f4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'workflow_dossier', sa.Column('result_documents', sa.JSON(), server_default='[]', nullable=False)
    )


def downgrade() -> None:
    op.drop_column('workflow_dossier', 'result_documents')
