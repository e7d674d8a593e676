"""Dossier tracking: local copies from events and the durable per-dossier log of status changes."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    DossierContactRegistered,
    DossierStatusChanged,
    DossierSubmitted,
    ProcedurePublished,
)
from dvc_common.outbox import current_traceparent
from dvc_sync_national.models import Dossier, Procedure
from dvc_sync_national.repository import SyncRepository
from dvc_sync_national.service.clock import now as _now

log = logging.getLogger(__name__)


def _make_due(dossier: Dossier, now: datetime) -> None:
    if dossier.pending > 0 and dossier.next_attempt_at is None:
        dossier.next_attempt_at = now


async def record_procedure(session: AsyncSession, published: ProcedurePublished) -> None:
    repo = SyncRepository(session)
    await repo.save_procedure(
        Procedure(
            code=published.code,
            name=published.name,
            field_name=published.field_name,
            agency_name=published.agency_name,
        )
    )
    await repo.wake_for_procedure(published.code, _now())


async def record_submission(session: AsyncSession, submitted: DossierSubmitted) -> None:
    dossier = await SyncRepository(session).dossier_for_update(submitted.code)
    dossier.procedure_code = submitted.procedure_code
    dossier.agency_id = submitted.agency_id
    dossier.channel = submitted.channel
    dossier.applicant_kind = submitted.applicant_kind
    dossier.submitted_at = submitted.submitted_at
    dossier.files = [f.name for f in submitted.files]
    dossier.national_reference = submitted.national_reference
    _make_due(dossier, _now())


async def record_contact(session: AsyncSession, contact: DossierContactRegistered) -> None:
    dossier = await SyncRepository(session).dossier_for_update(contact.code)
    dossier.applicant_name = contact.applicant_name
    dossier.phone = contact.phone
    _make_due(dossier, _now())


async def record_status(
    session: AsyncSession, changed: DossierStatusChanged, *, event_id: UUID, sequence: int
) -> None:
    """Log the change durably; the dispatcher sends it when every earlier change has been sent.

    `event_id` and `sequence` are the event's: a redelivery (same id) or a second event for one
    position in the dossier's sequence is recorded once.
    """
    repo = SyncRepository(session)
    dossier = await repo.dossier_for_update(changed.code)
    now = _now()
    fresh = await repo.add_change(
        {
            "event_id": event_id,
            "dossier_code": changed.code,
            "sequence": sequence,
            "status": changed.status,
            "previous_status": changed.previous_status,
            "changed_at": changed.changed_at,
            "data": changed.model_dump(mode="json"),
            "traceparent": current_traceparent(),
            "state": "pending",
            "record_sent": False,
            "step_sent": False,
            "recorded_at": now,
        }
    )
    if not fresh:
        log.info("status change already recorded", extra={"code": changed.code, "sequence": sequence})
        return
    dossier.procedure_code = dossier.procedure_code or changed.procedure_code
    dossier.agency_id = dossier.agency_id or changed.agency_id
    if sequence > dossier.latest_sequence:
        dossier.latest_sequence = sequence
        dossier.latest_status = changed.status
    dossier.pending += 1
    _make_due(dossier, now)
    log.info(
        "status change recorded for the national portal",
        extra={"code": changed.code, "status": changed.status, "sequence": sequence},
    )
