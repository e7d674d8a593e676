"""The dossier's status as workflow announces it (dossier.status_changed.v1)."""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import DossierStatusChanged
from dvc_intake.repository import IntakeRepository

log = logging.getLogger(__name__)


async def record_status(session: AsyncSession, changed: DossierStatusChanged, *, sequence: int) -> None:
    """Kept when newer than what intake holds (`sequence`: the event's, per dossier)."""
    applied = await IntakeRepository(session).apply_status(
        changed.code,
        changed.status,
        changed.status_name,
        sequence,
        changed.changed_at,
        received_at=changed.received_at,
        appointment_at=changed.appointment_at,
    )
    log.info(
        "dossier status recorded", extra={"code": changed.code, "status": changed.status, "applied": applied}
    )
