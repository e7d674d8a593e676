"""Dossier tracking: local copies from events and the durable per-dossier log of status changes."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    DossierContactRegistered,
    DossierResubmitted,
    DossierStatusChanged,
    DossierSubmitted,
    PaymentCompleted,
    PaymentRequested,
    ProcedurePublished,
)
from dvc_common.events.dossier import DossierStepChanged
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
            result_documents=list(published.result_documents),
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
    await _log_change(session, changed, event_id=event_id, sequence=sequence, step_only=False)


async def _log_change(
    session: AsyncSession, changed: DossierStatusChanged, *, event_id: UUID, sequence: int, step_only: bool
) -> None:
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
            # A step that keeps the status has no record of its own to send, only its step.
            "record_sent": step_only,
            "step_sent": False,
            "recorded_at": now,
        }
    )
    if not fresh:
        log.info("status change already recorded", extra={"code": changed.code, "sequence": sequence})
        return
    dossier.procedure_code = dossier.procedure_code or changed.procedure_code
    dossier.agency_id = dossier.agency_id or changed.agency_id
    if sequence > dossier.latest_sequence and not step_only:
        dossier.latest_sequence = sequence
        dossier.latest_status = changed.status
    dossier.pending += 1
    _make_due(dossier, now)
    log.info(
        "status change recorded for the national portal",
        extra={"code": changed.code, "status": changed.status, "sequence": sequence, "step_only": step_only},
    )


async def record_step(
    session: AsyncSession, changed: DossierStepChanged, *, event_id: UUID, sequence: int
) -> None:
    """A step that keeps the national status (assign, forward, send back, transfer) goes to the
    portal's processing history (QuaTrinhXuLy) in its place among the status changes. It is logged as
    a change of the status to itself whose record needs no sending (only its step)."""
    same_status = DossierStatusChanged(
        code=changed.code,
        procedure_code=changed.procedure_code,
        agency_id=changed.agency_id,
        status=changed.status,
        status_name=changed.status_name,
        previous_status=changed.status,
        changed_at=changed.changed_at,
        received_at=changed.received_at,
        appointment_at=changed.appointment_at,
        step=changed.step,
    )
    await _log_change(session, same_status, event_id=event_id, sequence=sequence, step_only=True)


async def record_fees_requested(session: AsyncSession, requested: PaymentRequested) -> None:
    """The fee lines of a payment request (DanhSachLePhi lists them once paid)."""
    dossier = await SyncRepository(session).dossier_for_update(requested.dossier_code)
    fees = [f for f in dossier.fees or [] if f["payment_id"] != requested.payment_id]
    paid = any(f["payment_id"] == requested.payment_id and f["paid"] for f in dossier.fees or [])
    lines = [line.model_dump(mode="json") for line in requested.fee_lines]
    fees.append({"payment_id": requested.payment_id, "lines": lines, "paid": paid, "method": None})
    dossier.fees = fees


async def record_fees_paid(session: AsyncSession, completed: PaymentCompleted) -> None:
    """A payment verified: its fees are paid (a completion may arrive before its request)."""
    dossier = await SyncRepository(session).dossier_for_update(completed.dossier_code)
    fees = [dict(f) for f in dossier.fees or []]
    for fee in fees:
        if fee["payment_id"] == completed.payment_id:
            fee["paid"], fee["method"] = True, completed.method
            break
    else:
        fees.append(
            {"payment_id": completed.payment_id, "lines": [], "paid": True, "method": completed.method}
        )
    dossier.fees = fees


async def record_supplement(session: AsyncSession, resubmitted: DossierResubmitted) -> None:
    """The files of a supplement round, sent in TaiLieuNop with the next record."""
    dossier = await SyncRepository(session).dossier_for_update(resubmitted.code)
    kept = [entry for entry in dossier.supplement_files or [] if entry[0] != resubmitted.supplement_round]
    dossier.supplement_files = kept + [[resubmitted.supplement_round, f.name] for f in resubmitted.files]
