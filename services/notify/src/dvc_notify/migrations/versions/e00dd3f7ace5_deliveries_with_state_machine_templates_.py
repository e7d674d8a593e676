"""deliveries with state machine, templates, zalo tokens, notified events

Revision ID: e00dd3f7ace5
Revises: 40ad1909ebaa
Create Date: 2026-11-24 21:29:23.837957
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'e00dd3f7ace5'
down_revision: str | None = '40ad1909ebaa'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notify_event',
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('event', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_table('notify_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('body_text', sa.Text(), nullable=True),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('zalo_template_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('zalo_data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_type', 'channel', 'version')
    )
    op.create_table('notify_zalo_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('access_token', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('refresh_token', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.add_column('notify_contact', sa.Column('channels', postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    # Rows of the skeleton (sent e-mails, or none for want of an address) become finished deliveries.
    op.add_column('notify_delivery', sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False, server_default='dossier.status_changed.v1'))
    op.add_column('notify_delivery', sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default='sent'))
    op.add_column('notify_delivery', sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column('notify_delivery', sa.Column('attempts', sa.Integer(), nullable=False, server_default='1'))
    op.add_column('notify_delivery', sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.text('now()')))
    op.add_column('notify_delivery', sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
    op.add_column('notify_delivery', sa.Column('template_version', sa.Integer(), nullable=True))
    op.add_column('notify_delivery', sa.Column('body_text', sa.Text(), nullable=False, server_default=''))
    op.add_column('notify_delivery', sa.Column('body_html', sa.Text(), nullable=True))
    op.add_column('notify_delivery', sa.Column('zalo_template_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column('notify_delivery', sa.Column('zalo_data', postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column('notify_delivery', sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column('notify_delivery', sa.Column('trace_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    op.add_column('notify_delivery', sa.Column('traceparent', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column('notify_delivery', sa.Column('provider_answer', sa.Text(), nullable=True))
    op.add_column('notify_delivery', sa.Column('fallback_of', sa.Integer(), nullable=True))
    op.add_column('notify_delivery', sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.text('now()')))
    op.add_column('notify_delivery', sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE notify_delivery SET status = CASE WHEN outcome = 'sent' THEN 'sent' ELSE 'failed' END,"
        " reason = CASE WHEN outcome = 'sent' THEN NULL ELSE 'no_address' END,"
        " sent_at = CASE WHEN outcome = 'sent' THEN created_at END, updated_at = created_at,"
        " recipient = coalesce(recipient, '')"
    )
    for column in ('event_type', 'status', 'attempts', 'next_attempt_at', 'body_text', 'updated_at'):
        op.alter_column('notify_delivery', column, server_default=None)
    op.alter_column('notify_delivery', 'recipient', existing_type=sa.VARCHAR(), nullable=False)
    op.drop_constraint(op.f('notify_delivery_event_id_channel_key'), 'notify_delivery', type_='unique')
    op.create_index('ix_notify_delivery_due', 'notify_delivery', ['next_attempt_at'], unique=False, postgresql_where=sa.text("status IN ('queued', 'sending')"))
    op.create_index('ix_notify_delivery_failed', 'notify_delivery', ['updated_at'], unique=False, postgresql_where=sa.text("status = 'failed'"))
    op.create_unique_constraint('uq_notify_delivery_event_channel_recipient', 'notify_delivery', ['event_id', 'channel', 'recipient'])
    op.drop_column('notify_delivery', 'outcome')


def downgrade() -> None:
    op.add_column('notify_delivery', sa.Column('outcome', sa.VARCHAR(length=16), nullable=False, server_default='sent'))
    op.execute("UPDATE notify_delivery SET outcome = CASE WHEN status = 'sent' THEN 'sent' ELSE 'no_address' END")
    op.drop_constraint('uq_notify_delivery_event_channel_recipient', 'notify_delivery', type_='unique')
    op.drop_index('ix_notify_delivery_failed', table_name='notify_delivery', postgresql_where=sa.text("status = 'failed'"))
    op.drop_index('ix_notify_delivery_due', table_name='notify_delivery', postgresql_where=sa.text("status IN ('queued', 'sending')"))
    op.execute("DELETE FROM notify_delivery WHERE channel <> 'email'")
    op.create_unique_constraint(op.f('notify_delivery_event_id_channel_key'), 'notify_delivery', ['event_id', 'channel'])
    op.alter_column('notify_delivery', 'recipient', existing_type=sa.VARCHAR(), nullable=True)
    for column in ('sent_at', 'updated_at', 'fallback_of', 'provider_answer', 'traceparent', 'trace_id', 'message_id',
                   'zalo_data', 'zalo_template_id', 'body_html', 'body_text', 'template_version', 'lease_until',
                   'next_attempt_at', 'attempts', 'reason', 'status', 'event_type'):
        op.drop_column('notify_delivery', column)
    op.drop_column('notify_contact', 'channels')
    op.drop_table('notify_zalo_token')
    op.drop_table('notify_template')
    op.drop_table('notify_event')
