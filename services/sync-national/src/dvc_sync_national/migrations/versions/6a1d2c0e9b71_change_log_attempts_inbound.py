"""change log, attempts, inbound dossiers

Revision ID: 6a1d2c0e9b71
Revises: 357c8742fbc9
Create Date: 2026-11-25 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6a1d2c0e9b71"
down_revision: str | None = "357c8742fbc9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.drop_index(op.f("ix_sync_push_dossier_code"), table_name="sync_push")
    op.drop_table("sync_push")
    for column in (
        sa.Column("agency_id", sa.String(length=32), nullable=True),
        sa.Column("national_reference", sa.String(length=64), nullable=True),
        sa.Column("on_portal", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("synced_at", TS, nullable=True),
        sa.Column("received_at", TS, nullable=True),
        sa.Column("appointment_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("returned_at", TS, nullable=True),
        sa.Column("latest_status", sa.Integer(), nullable=True),
        sa.Column("latest_sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("pending", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("force_next", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("blocked", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("last_attempt_at", TS, nullable=True),
    ):
        op.add_column("sync_dossier", column)
    op.create_index(
        "ix_sync_dossier_due",
        "sync_dossier",
        ["next_attempt_at"],
        postgresql_where=sa.text("next_attempt_at IS NOT NULL"),
    )
    op.create_table(
        "sync_change",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("dossier_code", sa.String(length=40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("previous_status", sa.Integer(), nullable=True),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("traceparent", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("record_sent", sa.Boolean(), nullable=False),
        sa.Column("step_sent", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("synced_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
        sa.UniqueConstraint("dossier_code", "sequence", name="uq_sync_change_dossier_sequence"),
    )
    op.create_index(
        "ix_sync_change_pending",
        "sync_change",
        ["dossier_code", "sequence"],
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "sync_attempt",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("dossier_code", sa.String(length=40), nullable=False),
        sa.Column("change_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.String(length=16), nullable=True),
        sa.Column("message", sa.String(), nullable=True),
        sa.Column("attempted_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_sync_attempt_dossier_code"), "sync_attempt", ["dossier_code"])
    op.create_table(
        "sync_inbound",
        sa.Column("national_reference", sa.String(length=64), nullable=False),
        sa.Column("portal_cursor", sa.BigInteger(), nullable=False),
        sa.Column("procedure_code", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("national_reference"),
    )


def downgrade() -> None:
    op.drop_table("sync_inbound")
    op.drop_index(op.f("ix_sync_attempt_dossier_code"), table_name="sync_attempt")
    op.drop_table("sync_attempt")
    op.drop_index("ix_sync_change_pending", table_name="sync_change")
    op.drop_table("sync_change")
    op.drop_index("ix_sync_dossier_due", table_name="sync_dossier")
    for name in (
        "last_attempt_at", "last_error", "blocked", "failures", "force_next", "next_attempt_at", "pending",
        "latest_sequence", "latest_status", "returned_at", "finished_at", "appointment_at", "received_at",
        "synced_at", "on_portal", "national_reference", "agency_id",
    ):  # fmt: skip
        op.drop_column("sync_dossier", name)
    op.create_table(
        "sync_push",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("dossier_code", sa.String(length=40), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("pushed_at", TS, nullable=False),
        sa.Column("portal_message", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index(op.f("ix_sync_push_dossier_code"), "sync_push", ["dossier_code"])
