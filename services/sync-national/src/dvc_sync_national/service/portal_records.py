"""What the portal's records are made of, read from our rows: the dossier's facts, one change's
facts and the milestones reached so far (the mapping itself is pure, in domain/portal_record.py)."""

from __future__ import annotations

from dvc_common.events import DossierStatusChanged
from dvc_sync_national.domain.portal_record import (
    DossierFacts,
    Milestones,
    PaidFee,
    StatusChange,
    StepFacts,
)
from dvc_sync_national.models import Change, Dossier, Procedure


def facts(dossier: Dossier, procedure: Procedure | None) -> DossierFacts | None:
    if procedure is None or dossier.applicant_name is None or dossier.submitted_at is None:
        return None
    return DossierFacts(
        code=dossier.code,
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        field_name=procedure.field_name,
        agency_name=procedure.agency_name,
        channel=dossier.channel or 2,
        applicant_kind=dossier.applicant_kind or 1,
        applicant_name=dossier.applicant_name,
        phone=dossier.phone,
        submitted_at=dossier.submitted_at,
        files=tuple(dossier.files or ()),
        national_reference=dossier.national_reference,
        supplement_files=tuple(
            (int(entry[0]), str(entry[1]))
            for entry in sorted(dossier.supplement_files or [], key=lambda e: e[0])
        ),
        fees_paid=tuple(
            PaidFee(str(line["kind"]), str(line["name"]), int(line["amount"]))
            for fee in dossier.fees or []
            if fee["paid"]
            for line in fee["lines"]
        ),
        result_documents=tuple(procedure.result_documents or ()),
    )


def status_change(change: Change) -> StatusChange:
    event = DossierStatusChanged.model_validate(change.data)
    step = event.step
    return StatusChange(
        status=event.status,
        previous_status=event.previous_status,
        changed_at=event.changed_at,
        received_at=event.received_at,
        appointment_at=event.appointment_at,
        note=event.note,
        step=StepFacts(
            officer_name=step.officer_name,
            content=step.content,
            officer_position=step.officer_position,
            department=step.department,
            started_at=step.started_at,
            due_at=step.due_at,
        )
        if step
        else None,
    )


def milestones(dossier: Dossier) -> Milestones:
    return Milestones(dossier.received_at, dossier.appointment_at, dossier.finished_at, dossier.returned_at)
