"""What was sent: a dossier's (or question's) deliveries, and the delivery log by status for officers."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_notify.domain.deliveries import Status
from dvc_notify.models import Delivery
from dvc_notify.repository import NotifyRepository


async def of_dossier(session: AsyncSession, code: str) -> list[Delivery]:
    """Every delivery about one dossier (or question), oldest first."""
    return await NotifyRepository(session).deliveries(code)


async def by_status(session: AsyncSession, status: Status, *, after: int, limit: int) -> list[Delivery]:
    """One page of the delivery log in one status, by id."""
    return await NotifyRepository(session).deliveries_by_status(status, after_id=after, limit=limit)


async def status_counts(session: AsyncSession) -> dict[str, int]:
    """How many deliveries are in each status (statuses without any are left out)."""
    return await NotifyRepository(session).status_counts()
