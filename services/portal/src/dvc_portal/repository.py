"""All SQL of the portal: its sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_portal.models import PortalSession


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: PortalSession) -> None:
        self.session.add(row)

    async def live(self, key: str, now: datetime, *, for_update: bool = False) -> PortalSession | None:
        """The session with this key if it has not ended; `for_update` locks it (token refresh)."""
        query = select(PortalSession).where(PortalSession.key == key, col(PortalSession.expires_at) > now)
        if for_update:
            query = query.with_for_update()
        return (await self.session.exec(query)).first()

    async def remove(self, key: str) -> None:
        await self.session.execute(delete(PortalSession).where(col(PortalSession.key) == key))

    async def remove_ended(self, now: datetime, limit: int = 1000) -> int:
        ended = select(PortalSession.key).where(col(PortalSession.expires_at) <= now).limit(limit)
        result = await self.session.execute(delete(PortalSession).where(col(PortalSession.key).in_(ended)))
        return int(getattr(result, "rowcount", 0) or 0)
