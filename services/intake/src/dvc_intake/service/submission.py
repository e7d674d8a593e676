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
from dvc_intake.domain.agencies import (
    AgencyChoiceNeeded,
    AgencyNotPerforming,
    NotReceivingAgency,
    PerformingAgency,
    choose_agency,
    performing_agencies,
)
from dvc_intake.domain.components import InvalidComponents, document_components, missing_components
from dvc_intake.domain.eform import eform_errors
from dvc_intake.models import Dossier, DossierFile, Procedure
from dvc_intake.owners import OwnerResolver
from dvc_intake.repository import IntakeRepository
from dvc_intake.scanning import NoScanner, Scanner
from dvc_intake.schemas import DossierForm, StoredDocumentRef
from dvc_intake.service.counter import Owner, check_channel, submission_owner
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
    owners: OwnerResolver,
    authorization: str | None = None,
) -> Dossier:
    """Online by a signed-in applicant (VNeID), who owns the dossier; at the counter or by post by a
    one-stop officer for the owner they identify (service.counter). Nothing is stored on a refusal."""
    repo = IntakeRepository(session)
    procedure = await repo.procedure(form.procedure_code)
    if procedure is None:
        raise errors.procedure_not_in_catalog(form.procedure_code)
    counter_agency = check_channel(form, len(uploads), principal)
    agency = _performing_agency(procedure, form, counter_agency)
    _check_eform(procedure, form)
    reused = await reused_documents(repo, form.reuse, principal)
    checked = await check_uploads(uploads, limits, reused=len(reused))
    components = _components(procedure, form, len(uploads))
    owner = await submission_owner(form, principal, counter_agency, owners, authorization)
    if procedure.signature_required:
        await check_signed_form(checked, reused)
    stored = await store_uploads(checked, blobs, scanner or NoScanner(), limits)
    # The code is taken last: the per-agency counter row stays locked only from here to the commit,
    # never during uploads, and a refused submission rolls the counter back (no gap).
    now = clock.now()
    code = await take_code(repo, agency.agency_id, now.astimezone(limits.timezone).date())
    files = [
        item.row(code, n, digitised=n in form.digitised, component=components[n - 1])
        for n, item in enumerate(stored, start=1)
    ]
    files += [
        _reused(code, n, ref, earlier, components[n - 1])
        for n, (ref, earlier) in enumerate(reused, start=len(files) + 1)
    ]
    dossier = _dossier(code, procedure, agency, form, owner, now)
    repo.add_dossier(dossier, files)
    channels = list(dict.fromkeys(form.notify_channels)) if form.notify_channels else None
    await announce_opened(session, outbox, dossier, files, channels=channels)
    log.info("dossier submitted", extra={"code": code, "procedure": procedure.code, "files": len(files)})
    return dossier


def _performing_agency(
    procedure: Procedure, form: DossierForm, counter_agency: str | None
) -> PerformingAgency:
    """The chosen performing agency (K1), among the procedure's; the counter officer's desk must receive
    for it."""
    agencies = performing_agencies(procedure.agencies, procedure.agency_id, procedure.agency_name)
    choices = [(a.agency_id, a.agency_name) for a in agencies]
    try:
        return choose_agency(agencies, form.agency_id, counter_agency=counter_agency)
    except AgencyNotPerforming as exc:
        raise errors.agency_not_performing(str(form.agency_id), choices) from exc
    except AgencyChoiceNeeded as exc:
        raise errors.agency_choice_required(choices) from exc
    except NotReceivingAgency as exc:
        raise errors.not_receiving_agency() from exc


def _components(procedure: Procedure, form: DossierForm, uploads: int) -> list[int | None]:
    """The component of each document (uploads, then reused ones); every listed component present."""
    names = procedure.components or []
    try:
        provided = document_components(form.components, uploads, len(names))
    except InvalidComponents as exc:
        raise errors.invalid_components(len(names)) from exc
    for n, ref in enumerate(form.reuse, start=uploads + 1):
        if ref.component is not None and ref.component > len(names):
            raise errors.invalid_components(len(names))
        provided.append(ref.component if ref.component is not None else (n if n <= len(names) else None))
    missing = missing_components(names, provided)
    if missing:
        raise errors.missing_components(missing)
    return provided


def _check_eform(procedure: Procedure, form: DossierForm) -> None:
    """The e-form against the procedure's JSON Schema; the result delivery among those offered."""
    if procedure.form_schema is not None:
        found = eform_errors(procedure.form_schema, form.eform)
        if found:
            raise errors.invalid_eform(found)
    offered = procedure.result_delivery or []
    if form.result_delivery and offered and form.result_delivery not in offered:
        raise errors.result_delivery_not_offered(offered)


def _reused(
    code: str, position: int, ref: StoredDocumentRef, earlier: DossierFile, component: int | None
) -> DossierFile:
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
        component=component,
    )


def _dossier(
    code: str, procedure: Procedure, agency: PerformingAgency, form: DossierForm, owner: Owner, now: datetime
) -> Dossier:
    mandate = form.authorised_person
    return Dossier(
        code=code,
        procedure_code=procedure.code,
        agency_id=agency.agency_id,
        applicant_name=form.applicant_name,
        email=str(form.email) if form.email else None,
        phone=form.phone,
        channel=form.channel,
        applicant_kind=form.applicant_kind,
        status=NationalStatus.NEW,
        status_name=NationalStatus.NEW.label_vi,
        submitted_at=now,
        updated_at=now,
        owner_subject=owner.subject,
        owner_identifier=owner.identifier,
        owner_kind=owner.kind,
        authorised_name=mandate.name if mandate else None,
        authorised_identifier=mandate.identifier if mandate else None,
        eform=form.eform,
        result_delivery=form.result_delivery,
        postal_address=form.postal_address,
    )
