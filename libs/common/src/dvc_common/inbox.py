"""Inbox: a consumer records each event id with its effect, in the same transaction."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

CLAIM = text(
    "INSERT INTO inbox_message (consumer, event_id, event_type) VALUES (:c, :e, :t)"
    " ON CONFLICT DO NOTHING RETURNING 1"
)  # built once: text() parses its parameters on construction


async def claim(session: AsyncSession, consumer: str, event_id: UUID, event_type: str) -> bool:
    """Record the event for this consumer; False when it was already processed (a redelivery)."""
    result = await session.execute(CLAIM, {"c": consumer, "e": event_id, "t": event_type})
    return result.scalar_one_or_none() is not None
