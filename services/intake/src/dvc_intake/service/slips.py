"""Slips attached to a dossier: Mẫu 01 on receipt, Mẫu 02 on a supplement request, Mẫu 03 on
rejection, rendered by `dvc_intake.slips` and kept in the blob store."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.blob import BlobStore
from dvc_common.events import (
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    CloudEvent,
    DossierMilestone,
    DossierReceived,
)
from dvc_common.principal import Principal
from dvc_intake import errors
from dvc_intake.models import Slip
from dvc_intake.repository import IntakeRepository
from dvc_intake.service.dossiers import readable_dossier
from dvc_intake.slips import SlipData, SlipForm, render

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlipConfig:
    font_dir: Path
    timezone: ZoneInfo
    public_base_url: str
    postal_fee_vnd: int = 0


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


@dataclass(frozen=True)
class Milestone:
    """What a slip says about the lifecycle event it comes from."""

    form: SlipForm
    code: str
    at: datetime
    event_id: UUID
    appointment_at: datetime | None = None
    explanation: str | None = None
    reason: str | None = None


def receipt_milestone(received: DossierReceived, event_id: UUID) -> Milestone:
    """Mẫu 01 (receipt and appointment) from dossier.received.v1."""
    return Milestone(
        "01",
        received.code,
        received.received_at,
        event_id,
        appointment_at=received.appointment_at,
        explanation=received.explanation,
    )


def decision_milestone(form: SlipForm, decided: DossierMilestone, event_id: UUID) -> Milestone:
    """Mẫu 02 from dossier.supplement_requested.v1, Mẫu 03 from dossier.rejected.v1."""
    return Milestone(form, decided.code, decided.at, event_id, reason=decided.reason)


async def issue_slip(
    session: AsyncSession, blobs: BlobStore, config: SlipConfig, milestone: Milestone
) -> None:
    """Rendered, stored in the blob store and recorded with the dossier (once per event)."""
    code, form = milestone.code, milestone.form
    repo = IntakeRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        log.warning("slip for a dossier intake does not hold", extra={"code": code, "form": form})
        return
    procedure = await repo.procedure(dossier.procedure_code)
    data = SlipData(
        form=form,
        code=code,
        agency_name=procedure.agency_name if procedure else dossier.agency_id,
        procedure_name=procedure.name if procedure else dossier.procedure_code,
        applicant_name=dossier.applicant_name,
        at=milestone.at,
        lookup_url=f"{config.public_base_url.rstrip('/')}/api/v1/lookup/{code}",
        documents=[f.name for f in await repo.dossier_files(code)],
        appointment_at=milestone.appointment_at,
        explanation=milestone.explanation,
        reason=milestone.reason,
        result_delivery=dossier.result_delivery,
        postal_address=dossier.postal_address,
        postal_fee_vnd=config.postal_fee_vnd,
    )
    pdf = await asyncio.to_thread(render, data, font_dir=config.font_dir, tz=config.timezone)
    stored = await blobs.put(_one(pdf), max_size=len(pdf))
    slip = Slip(
        dossier_code=code,
        form=form,
        source_event_id=str(milestone.event_id),
        sha256=stored.sha256,
        size=stored.size,
        issued_at=datetime.now(UTC),
    )
    added = await repo.add_slip(slip)
    log.info("slip produced", extra={"code": code, "form": form, "new": added})


async def produce_slip(
    session: AsyncSession, blobs: BlobStore, config: SlipConfig, event: CloudEvent
) -> None:
    """Transitional, for callers that hold a whole envelope (test_intake_slips): the consumers route
    each event type to `issue_slip` themselves, with the payload the platform parsed."""
    if event.type == DOSSIER_RECEIVED.ce_type:
        milestone = receipt_milestone(DOSSIER_RECEIVED.parse(event.data), event.id)
    elif event.type == DOSSIER_SUPPLEMENT_REQUESTED.ce_type:
        milestone = decision_milestone("02", DOSSIER_SUPPLEMENT_REQUESTED.parse(event.data), event.id)
    elif event.type == DOSSIER_REJECTED.ce_type:
        milestone = decision_milestone("03", DOSSIER_REJECTED.parse(event.data), event.id)
    else:
        return
    await issue_slip(session, blobs, config, milestone)


async def readable_slips(session: AsyncSession, principal: Principal, code: str) -> list[Slip]:
    repo = IntakeRepository(session)
    await readable_dossier(repo, principal, code)
    return await repo.slips(code)


async def readable_slip(session: AsyncSession, principal: Principal, code: str, slip_id: int) -> Slip:
    found = [s for s in await readable_slips(session, principal, code) if s.id == slip_id]
    if not found:
        raise errors.slip_not_found(code)
    return found[0]
