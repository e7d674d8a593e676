"""public history keeps only the public projection (issue 16): personal data recorded before removed

Rows recorded before catalog 3.0.0 hold whole payloads (file names, owner subjects, officers' names,
notes). Each is rewritten to its type's public projection; rows of types that are internal now
(officer.upserted.v1, officer.locked.v1) are deleted. The feed projects what it serves anyway; this
takes the personal data out of the integrators' history store itself. Not reversible (the data is gone).

Revision ID: e3a9c5d17b42
Revises: 185d5a1b52f9
Create Date: 2026-12-02 04:15:00.000000
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dvc_event_log.domain.feed import SERVED_TYPES, public_envelope

revision: str = "e3a9c5d17b42"
down_revision: str | None = "185d5a1b52f9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text("DELETE FROM event_log_history WHERE NOT (type = ANY(:served))"), {"served": list(SERVED_TYPES)}
    )
    after = 0
    while True:
        rows = bind.execute(
            sa.text("SELECT id, envelope FROM event_log_history WHERE id > :after ORDER BY id LIMIT :n"),
            {"after": after, "n": BATCH},
        ).all()
        if not rows:
            return
        for row_id, envelope in rows:
            stored = envelope if isinstance(envelope, dict) else json.loads(envelope)
            projected = public_envelope(stored)
            if projected != stored:
                bind.execute(
                    sa.text("UPDATE event_log_history SET envelope = CAST(:envelope AS jsonb) WHERE id = :id"),
                    {"envelope": json.dumps(projected, ensure_ascii=False), "id": row_id},
                )
        after = rows[-1][0]


def downgrade() -> None:
    pass  # the personal data removed is not restored
