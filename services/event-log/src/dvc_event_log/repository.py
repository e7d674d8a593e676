"""All SQL of the event log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_event_log.models import HistoryEvent

# pg_advisory_xact_lock key: history ids are taken under it, so they follow commit order and a
# reader who saw id N has seen every committed id below N (the feed's cursor never skips a row).
HISTORY_ORDER_LOCK = 0x0E7E1067
RETENTION = "history"

NEXT_POSITION = text(
    "INSERT INTO event_log_stream (stream, subject, last_position) VALUES (:stream, :subject, 1)"
    " ON CONFLICT (stream, subject) DO UPDATE SET last_position = event_log_stream.last_position + 1"
    " RETURNING last_position"
)
SOURCE_PROGRESS = text(
    "INSERT INTO event_log_source (source, subject, last_sequence) VALUES (:source, :subject, 0)"
    " ON CONFLICT (source, subject) DO UPDATE SET last_sequence = event_log_source.last_sequence"
    " RETURNING last_sequence"
)


class EventLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def last_source_sequence(self, source: str, subject: str) -> int:
        """The producer's last recorded sequence for the subject; its row stays locked until commit."""
        result = await self.session.execute(SOURCE_PROGRESS, {"source": source, "subject": subject})
        return int(result.scalar_one())

    async def advance_source(self, source: str, subject: str, sequence: int) -> None:
        await self.session.execute(
            text(
                "UPDATE event_log_source SET last_sequence = :n WHERE source = :source AND subject = :subject"
            ),
            {"n": sequence, "source": source, "subject": subject},
        )

    async def next_position(self, stream: str, subject: str) -> int:
        """Take the stream's next position; the row lock serialises every writer of the stream until
        commit, and a rolled-back transaction gives its number back (no gap)."""
        result = await self.session.execute(NEXT_POSITION, {"stream": stream, "subject": subject})
        return int(result.scalar_one())

    async def take_history_order(self) -> None:
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": HISTORY_ORDER_LOCK})

    async def add_history(self, event: HistoryEvent) -> None:
        self.session.add(event)
        await self.session.flush()

    async def page(
        self, after: int, through: int, types: Sequence[str], subject: str | None, limit: int
    ) -> Sequence[HistoryEvent]:
        query = select(HistoryEvent).where(col(HistoryEvent.id) > after, col(HistoryEvent.id) <= through)
        if types:
            query = query.where(col(HistoryEvent.type).in_(types))
        if subject is not None:
            query = query.where(HistoryEvent.subject == subject)
        return (await self.session.exec(query.order_by(col(HistoryEvent.id)).limit(limit))).all()

    async def last_id(self) -> int:
        result = await self.session.execute(text("SELECT coalesce(max(id), 0) FROM event_log_history"))
        return int(result.scalar_one())

    async def purged_through(self) -> int:
        result = await self.session.execute(
            text("SELECT purged_through FROM event_log_retention WHERE name = :n"), {"n": RETENTION}
        )
        return int(result.scalar_one_or_none() or 0)

    async def purge_history(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` of the oldest events recorded before `before`; move the mark past them."""
        result = await self.session.execute(
            text(
                "WITH gone AS (DELETE FROM event_log_history WHERE id IN (SELECT id FROM event_log_history"
                " WHERE recorded_at < :before ORDER BY id LIMIT :n) RETURNING id)"
                " SELECT count(*), max(id) FROM gone"
            ),
            {"before": before, "n": limit},
        )
        count, highest = result.one()
        if highest is not None:
            await self.session.execute(
                text(
                    "INSERT INTO event_log_retention (name, purged_through) VALUES (:n, :id)"
                    " ON CONFLICT (name) DO UPDATE SET purged_through ="
                    " greatest(event_log_retention.purged_through, excluded.purged_through)"
                ),
                {"n": RETENTION, "id": highest},
            )
        return int(count)

    async def purge_inbox(self, consumer: str, before: datetime, limit: int) -> int:
        """Inbox entries older than the history: a redelivery that late cannot happen."""
        result = await self.session.execute(
            text(
                "DELETE FROM inbox_message WHERE (consumer, event_id) IN (SELECT consumer, event_id"
                " FROM inbox_message WHERE consumer = :c AND processed_at < :before LIMIT :n)"
            ),
            {"c": consumer, "before": before, "n": limit},
        )
        return int(getattr(result, "rowcount", 0) or 0)
