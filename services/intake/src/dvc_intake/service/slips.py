"""Slips attached to a dossier: Mẫu 01 on receipt (again after each supplement), 02 on a supplement
request, 03 on rejection, 04 on extension, 05 on stop, drawn by `dvc_intake.forms` and kept in the
blob store."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.blob import BlobStore
from dvc_common.events import (
    DOSSIER_EXTENDED,
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_STOPPED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    CloudEvent,
)
from dvc_common.principal import Principal
from dvc_intake import errors
from dvc_intake.models import Dossier, Slip
from dvc_intake.repository import IntakeRepository
from dvc_intake.service.dossiers import readable_dossier
from dvc_intake.service.slip_forms import (
    Milestone,
    SlipConfig,
    SlipSubject,
    decision_milestone,
    extension_milestone,
    receipt_milestone,
    render_slip,
)

__all__ = [
    "Milestone",
    "SlipConfig",
    "decision_milestone",
    "extension_milestone",
    "issue_slip",
    "produce_slip",
    "readable_slip",
    "readable_slips",
    "receipt_milestone",
    "store_slip",
]

log = logging.getLogger(__name__)


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def slip_subject(repo: IntakeRepository, dossier: Dossier) -> SlipSubject:
    """The dossier with what its forms print about it: procedure, agency, superior body."""
    agency = await repo.agency(dossier.agency_id)
    superior = await repo.agency(agency.parent_id) if agency and agency.parent_id else None
    slips = await repo.slips(dossier.code)
    requested = sum(1 for s in slips if s.form == "02")
    receipts = [s.issued_at for s in slips if s.form == "01"]
    procedure = await repo.procedure(dossier.procedure_code)
    return SlipSubject(dossier, procedure, agency, superior, requested, receipts)


async def store_slip(
    repo: IntakeRepository,
    blobs: BlobStore,
    code: str,
    form: str,
    event_id: str,
    pdf: bytes,
    issued_at: datetime | None = None,
) -> int:
    """Keep the PDF in the blob store and record it with the dossier, once per event: the slip's id.
    `issued_at`: the time the slip carries (a Mẫu 01's is when the officer received the dossier)."""
    stored = await blobs.put(_one(pdf), max_size=len(pdf))
    slip = Slip(
        dossier_code=code,
        form=form,
        source_event_id=event_id,
        sha256=stored.sha256,
        size=stored.size,
        issued_at=issued_at or clock.now(),
    )
    added = await repo.add_slip(slip)
    if added is not None:
        log.info("slip produced", extra={"code": code, "form": form})
        return added
    existing = await repo.slip_of_event(event_id)
    assert existing is not None and existing.id is not None
    return existing.id


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
    subject = await slip_subject(repo, dossier)
    pdf = await asyncio.to_thread(render_slip, milestone, subject, config)
    issued_at = milestone.recorded_at or milestone.at
    await store_slip(repo, blobs, code, form, str(milestone.event_id), pdf, issued_at)


async def produce_slip(
    session: AsyncSession, blobs: BlobStore, config: SlipConfig, event: CloudEvent
) -> None:
    """For callers that hold a whole envelope (test_intake_slips): the consumers route each event
    type to `issue_slip` themselves, with the payload the platform parsed."""
    if event.type == DOSSIER_RECEIVED.ce_type:
        milestone = receipt_milestone(DOSSIER_RECEIVED.parse(event.data), event.id)
    elif event.type == DOSSIER_EXTENDED.ce_type:
        milestone = extension_milestone(DOSSIER_EXTENDED.parse(event.data), event.id)
    elif event.type == DOSSIER_SUPPLEMENT_REQUESTED.ce_type:
        milestone = decision_milestone("02", DOSSIER_SUPPLEMENT_REQUESTED.parse(event.data), event.id)
    elif event.type == DOSSIER_REJECTED.ce_type:
        milestone = decision_milestone("03", DOSSIER_REJECTED.parse(event.data), event.id)
    elif event.type == DOSSIER_STOPPED.ce_type:
        milestone = decision_milestone("05", DOSSIER_STOPPED.parse(event.data), event.id)
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
