"""performing agencies, owner identifier, mandate, file component

Revision ID: 4c1a7d2e9f10
Revises: 7f3c1e2a9b40
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '4c1a7d2e9f10'
down_revision: str | None = '7f3c1e2a9b40'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('intake_procedure', sa.Column('agencies', sa.JSON(), nullable=True))
    op.add_column('intake_dossier', sa.Column('owner_identifier', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    op.add_column('intake_dossier', sa.Column('owner_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.add_column('intake_dossier', sa.Column('authorised_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column('intake_dossier', sa.Column('authorised_identifier', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    op.add_column('intake_dossier_file', sa.Column('component', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('intake_dossier_file', 'component')
    op.drop_column('intake_dossier', 'authorised_identifier')
    op.drop_column('intake_dossier', 'authorised_name')
    op.drop_column('intake_dossier', 'owner_kind')
    op.drop_column('intake_dossier', 'owner_identifier')
    op.drop_column('intake_procedure', 'agencies')
