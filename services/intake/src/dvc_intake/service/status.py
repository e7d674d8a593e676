"""The dossier's status as workflow announces it (dossier.status_changed.v1)."""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import CloudEvent, DossierStatusChanged
from dvc_intake.repository import IntakeRepository

log = logging.getLogger(__name__)


async def record_status(session: AsyncSession, event: CloudEvent) -> None:
    changed = DossierStatusChanged.model_validate(event.data)
    applied = await IntakeRepository(session).apply_status(
        changed.code,
        changed.status,
        changed.status_name,
        event.sequence,
        changed.changed_at,
        received_at=changed.received_at,
        appointment_at=changed.appointment_at,
    )
    log.info(
        "dossier status recorded", extra={"code": changed.code, "status": changed.status, "applied": applied}
    )
