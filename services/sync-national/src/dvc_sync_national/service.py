"""Sync-national use-cases: keep local copies from events and push statuses to the portal in order."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dvc_common.events import (
    CloudEvent,
    DossierContactRegistered,
    DossierStatusChanged,
    DossierSubmitted,
    ProcedurePublished,
)
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_sync_national.domain.portal_record import DossierFacts, dossier_record
from dvc_sync_national.models import Procedure, Push
from dvc_sync_national.portal import PortalClient
from dvc_sync_national.repository import SyncRepository

log = logging.getLogger(__name__)


class NotReadyToSync(Exception):
    """An earlier status or a fact the record needs has not arrived yet: retry later."""


async def record_procedure(session: AsyncSession, event: CloudEvent) -> None:
    published = ProcedurePublished.model_validate(event.data)
    await SyncRepository(session).save_procedure(
        Procedure(
            code=published.code,
            name=published.name,
            field_name=published.field_name,
            agency_name=published.agency_name,
        )
    )


async def record_submission(session: AsyncSession, event: CloudEvent) -> None:
    submitted = DossierSubmitted.model_validate(event.data)
    dossier = await SyncRepository(session).dossier_for_update(submitted.code)
    dossier.procedure_code = submitted.procedure_code
    dossier.channel = submitted.channel
    dossier.applicant_kind = submitted.applicant_kind
    dossier.submitted_at = submitted.submitted_at
    dossier.files = [f.name for f in submitted.files]


async def record_contact(session: AsyncSession, event: CloudEvent) -> None:
    contact = DossierContactRegistered.model_validate(event.data)
    dossier = await SyncRepository(session).dossier_for_update(contact.code)
    dossier.applicant_name = contact.applicant_name
    dossier.phone = contact.phone


async def push_status(session: AsyncSession, portal: PortalClient, tz: ZoneInfo, event: CloudEvent) -> None:
    changed = DossierStatusChanged.model_validate(event.data)
    repo = SyncRepository(session)
    dossier = await repo.dossier_for_update(changed.code)
    if event.sequence <= dossier.synced_sequence:
        log.info("stale status skipped", extra={"code": changed.code, "sequence": event.sequence})
        return
    if dossier.synced_status != changed.previous_status:
        raise NotReadyToSync(
            f"{changed.code}: status {changed.previous_status} must reach the portal before {changed.status}"
        )
    procedure = await repo.procedure(changed.procedure_code)
    if procedure is None or dossier.applicant_name is None or dossier.submitted_at is None:
        raise NotReadyToSync(f"{changed.code}: procedure, submission or applicant not known yet")
    facts = DossierFacts(
        code=dossier.code,
        procedure_code=changed.procedure_code,
        procedure_name=procedure.name,
        field_name=procedure.field_name,
        agency_name=procedure.agency_name,
        channel=dossier.channel or 2,
        applicant_kind=dossier.applicant_kind or 1,
        applicant_name=dossier.applicant_name,
        phone=dossier.phone,
        submitted_at=dossier.submitted_at,
        files=tuple(dossier.files or ()),
    )
    message = await portal.sync_dossiers([dossier_record(facts, changed.status, changed.changed_at, tz)])
    dossier.synced_status = changed.status
    dossier.synced_sequence = event.sequence
    repo.add_push(
        Push(
            event_id=event.id,
            dossier_code=changed.code,
            status=changed.status,
            pushed_at=datetime.now(UTC),
            portal_message=message,
        )
    )
    log.info("status synced to national portal", extra={"code": changed.code, "status": changed.status})
