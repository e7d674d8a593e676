"""The dossier register (Mẫu 07) of one agency over one period, from workflow's dossiers, step log and
status history, for the agency's officers and the province-wide roles."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.access import PROVINCE_WIDE
from dvc_common.events import NATIONAL_STATUS_NAMES, NationalStatus
from dvc_common.principal import Principal
from dvc_workflow import errors
from dvc_workflow.forms import Register, RegisterEntry
from dvc_workflow.models import Dossier
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.catalog import procedure_definition
from dvc_workflow.service.context import Context, FormsConfig
from dvc_workflow.service.directory import letterhead

MAX_DAYS = 366
MAX_ROWS = 5000
TIMELINESS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


def may_read_register(actor: Principal, agency_id: str) -> bool:
    return actor.is_officer and (actor.agency_id == agency_id or actor.has_any_role(*PROVINCE_WIDE))


def note(dossier: Dossier) -> str:
    """What the note column says: the status, the classification, supplements and an extension."""
    parts = [NATIONAL_STATUS_NAMES.get(dossier.status, str(dossier.status))]
    if dossier.timeliness in TIMELINESS:
        parts.append(TIMELINESS[dossier.timeliness])
    if dossier.supplement_count:
        parts.append(f"bổ sung {dossier.supplement_count} lần")
    if dossier.extension_used:
        parts.append("đã gia hạn")
    return "; ".join(parts)


async def dossier_register(
    session: AsyncSession,
    ctx: Context,
    forms: FormsConfig,
    agency_id: str,
    first: date,
    last: date,
    actor: Principal,
    now: datetime,
) -> Register:
    if not may_read_register(actor, agency_id):
        raise errors.register_forbidden()
    if last < first or (last - first).days >= MAX_DAYS:
        raise errors.register_period_invalid(MAX_DAYS)
    zone, repo = ctx.calendar.zone, WorkflowRepository(session)
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone)
    dossiers = await repo.received_between(agency_id, start, end, MAX_ROWS)
    codes = [d.code for d in dossiers]
    applicants = await repo.applicants(codes)
    handed = await repo.first_hand_ons(codes)
    # The officer's receipt as it happened (the dossier's received_at is the counting start: after
    # 15:00 the next working day), and the return of the result.
    received = await repo.reached(codes, NationalStatus.RECEIVED)
    returned = await repo.reached(codes, NationalStatus.RESULT_RETURNED)
    names: dict[str, str] = {}
    fallback = agency_id  # the agency's name until the agency tree is known: the catalog's
    for code in {d.procedure_code for d in dossiers}:
        procedure = await repo.procedure(code)
        definition = procedure_definition(procedure) if procedure else None
        names[code] = definition.name if definition else code
        if definition and definition.agency_id == agency_id:
            fallback = definition.agency_name
    head = await letterhead(repo, agency_id, fallback, forms.place)
    entries = [
        RegisterEntry(
            code=d.code,
            procedure_name=names[d.procedure_code],
            handling_agency=head.agency,
            received_at=received.get(d.code, d.received_at),
            appointment_at=d.appointment_at,
            transferred_at=handed.get(d.code),
            result_at=d.result_at,
            returned_at=returned.get(d.code),
            applicant_name=applicants[d.code].name if d.code in applicants else None,
            applicant_contact=applicants[d.code].phone if d.code in applicants else None,
            note=note(d),
        )
        for d in dossiers
    ]
    return Register(head, first, last, entries, now, zone)
