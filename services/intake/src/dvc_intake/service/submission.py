"""Submitting a dossier (online, or at the counter by a one-stop officer): the checks, the stored
documents, the code and the events announcing it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.blob import BlobStore
from dvc_common.events import NationalStatus
from dvc_common.outbox import Outbox
from dvc_common.principal import Principal
from dvc_intake import errors
from dvc_intake.domain.eform import eform_errors
from dvc_intake.models import Dossier, DossierFile, Procedure
from dvc_intake.repository import IntakeRepository
from dvc_intake.scanning import NoScanner, Scanner
from dvc_intake.schemas import DossierForm, StoredDocumentRef
from dvc_intake.service.counter import submission_owner
from dvc_intake.service.data_store import reused_documents
from dvc_intake.service.opening import announce_opened, take_code
from dvc_intake.service.uploads import Limits, Upload, check_signed_form, check_uploads, store_uploads

log = logging.getLogger(__name__)


async def submit_dossier(
    session: AsyncSession,
    outbox: Outbox,
    blobs: BlobStore,
    form: DossierForm,
    uploads: Sequence[Upload],
    limits: Limits,
    *,
    principal: Principal | None = None,
    scanner: Scanner | None = None,
) -> Dossier:
    """Anonymous submission stays possible; a signed-in applicant (VNeID) owns the dossier; a one-stop
    officer submits at the counter on behalf of an applicant (channel 1)."""
    repo = IntakeRepository(session)
    procedure = await repo.procedure(form.procedure_code)
    if procedure is None:
        raise errors.procedure_not_in_catalog(form.procedure_code)
    _check_eform(procedure, form)
    owner_subject = submission_owner(form, len(uploads), principal)
    reused = await reused_documents(repo, form.reuse, principal)
    checked = await check_uploads(uploads, limits, reused=len(reused))
    if procedure.signature_required:
        await check_signed_form(checked, reused)
    stored = await store_uploads(checked, blobs, scanner or NoScanner(), limits)
    # The code is taken last: the per-agency counter row stays locked only from here to the commit,
    # never during uploads, and a refused submission rolls the counter back (no gap).
    now = clock.now()
    code = await take_code(repo, procedure.agency_id, now.astimezone(limits.timezone).date())
    files = [item.row(code, n, digitised=n in form.digitised) for n, item in enumerate(stored, start=1)]
    files += [_reused(code, n, ref, earlier) for n, (ref, earlier) in enumerate(reused, start=len(files) + 1)]
    dossier = _dossier(code, procedure, form, owner_subject, now)
    repo.add_dossier(dossier, files)
    channels = list(dict.fromkeys(form.notify_channels)) if form.notify_channels else None
    await announce_opened(session, outbox, dossier, files, channels=channels)
    log.info("dossier submitted", extra={"code": code, "procedure": procedure.code, "files": len(files)})
    return dossier


def _check_eform(procedure: Procedure, form: DossierForm) -> None:
    """The e-form against the procedure's JSON Schema; the result delivery among those offered."""
    if procedure.form_schema is not None:
        found = eform_errors(procedure.form_schema, form.eform)
        if found:
            raise errors.invalid_eform(found)
    offered = procedure.result_delivery or []
    if form.result_delivery and offered and form.result_delivery not in offered:
        raise errors.result_delivery_not_offered(offered)


def _reused(code: str, position: int, ref: StoredDocumentRef, earlier: DossierFile) -> DossierFile:
    """A document of the data store, reused by reference: the same blob, not uploaded again."""
    return DossierFile(
        dossier_code=code,
        position=position,
        name=earlier.name,
        content_type=earlier.content_type,
        size=earlier.size,
        sha256=earlier.sha256,
        scan_status=earlier.scan_status,
        digitised=earlier.digitised,
        signed=earlier.signed,
        reused_from=f"{ref.dossier_code}#{ref.position}",
    )


def _dossier(
    code: str, procedure: Procedure, form: DossierForm, owner_subject: str | None, now: datetime
) -> Dossier:
    return Dossier(
        code=code,
        procedure_code=procedure.code,
        agency_id=procedure.agency_id,
        applicant_name=form.applicant_name,
        email=str(form.email) if form.email else None,
        phone=form.phone,
        channel=form.channel,
        applicant_kind=form.applicant_kind,
        status=NationalStatus.NEW,
        status_name=NationalStatus.NEW.label_vi,
        submitted_at=now,
        updated_at=now,
        owner_subject=owner_subject,
        eform=form.eform,
        result_delivery=form.result_delivery,
        postal_address=form.postal_address,
    )
