"""Telling officers what needs them: a new online dossier or a supplement in their one-stop queue,
a dossier due today or overdue, a step past its time budget (the scheduler's deadline events).

Who is told: for the one-stop desk's work, the one-stop officers of the agency that receives for
the performing agency (the catalog says which); for processing, the officers of the department the
dossier is assigned to, or the one-stop officers when no department is known. Officers come from
notify's copy of identity's officer accounts (`officer.upserted.v1`, internal, with their e-mail).
"""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.consumers import EventMeta
from dvc_common.events import DossierDeadline, DossierResubmitted, DossierSubmitted, Payload
from dvc_notify.domain.deliveries import Status
from dvc_notify.domain.rendering import EMAIL
from dvc_notify.models import Delivery, DossierWork, OfficerContact
from dvc_notify.repository import NotifyRepository
from dvc_notify.service import projections
from dvc_notify.service.names import names_for
from dvc_notify.service.notifier import Notifier
from dvc_notify.template_files import officer_template

log = logging.getLogger(__name__)

ONE_STOP = {"one_stop_officer"}
PROCESSING = {"processing_officer", "department_head"}


async def receiving_agency(repo: NotifyRepository, procedure_code: str, agency_id: str) -> str:
    """The agency whose one-stop desk receives the performing agency's dossiers (itself by default)."""
    procedure = await repo.procedure(procedure_code)
    return (procedure.receivers.get(agency_id) if procedure else None) or agency_id


async def one_stop_officers(repo: NotifyRepository, work: DossierWork) -> list[OfficerContact]:
    desk = await receiving_agency(repo, work.procedure_code, work.agency_id)
    return [o for o in await repo.officers(desk) if ONE_STOP & set(o.roles)]


async def responsible_officers(repo: NotifyRepository, work: DossierWork) -> list[OfficerContact]:
    """The officer the dossier is assigned to; else its department's processing officers; the
    one-stop desk when neither is known (or nobody with an e-mail is there)."""
    staff = await repo.officers(work.agency_id)
    # A step names the department by its code or its name.
    in_department = [
        o for o in staff if not work.department or work.department in (o.department, o.department_name)
    ]
    if work.assignee_name:
        assigned = [o for o in in_department if o.name == work.assignee_name]
        if assigned:
            return assigned
    if work.department:
        handling = [o for o in in_department if PROCESSING & set(o.roles)]
        if handling:
            return handling
    return await one_stop_officers(repo, work)


async def tell_officers(
    session: AsyncSession,
    notifier: Notifier,
    meta: EventMeta,
    payload: Payload,
    work: DossierWork,
    officers: list[OfficerContact],
) -> list[int]:
    """One e-mail per officer, queued like the applicant's (the dispatcher sends it)."""
    repo = NotifyRepository(session)
    source = officer_template(meta.routing_key)
    names = await names_for(repo, payload, work.code)
    queued: list[int] = []
    now = clock.now()
    for officer in officers:
        assert officer.email is not None
        context = notifier.context(payload.model_dump(), officer.name, work.code, **names)
        context["officer_name"] = officer.name
        rendered = notifier.renderer.render(source, context, key=("officer", meta.routing_key))
        delivery_id = await repo.enqueue(
            Delivery(
                event_id=meta.id,
                event_type=meta.routing_key,
                dossier_code=work.code,
                agency_id=officer.agency_id,
                channel=EMAIL,
                recipient=officer.email,
                status=Status.QUEUED,
                next_attempt_at=now,
                subject=rendered.subject,
                body_text=rendered.body_text,
                body_html=rendered.body_html,
                message_id=f"<{meta.id}.{officer.officer_id}@{notifier.message_id_domain}>",
                audience="officer",
                created_at=now,
                updated_at=now,
            )
        )
        if delivery_id is not None:
            queued.append(delivery_id)
    if not officers:
        log.warning(
            "no officer with an e-mail to tell",
            extra={"code": work.code, "event_type": meta.routing_key, "agency_id": work.agency_id},
        )
    return queued


async def dossier_submitted(
    session: AsyncSession, notifier: Notifier, meta: EventMeta, event: DossierSubmitted
) -> list[int]:
    work = await projections.dossier_submitted(session, meta, event)
    if event.channel != 2:  # only an online dossier arrives unseen (counter and postal ones are in hand)
        return []
    officers = await one_stop_officers(NotifyRepository(session), work)
    return await tell_officers(session, notifier, meta, event, work, officers)


async def dossier_resubmitted(
    session: AsyncSession, notifier: Notifier, meta: EventMeta, event: DossierResubmitted
) -> list[int]:
    work = await projections.dossier_handled(session, meta, event)
    officers = await one_stop_officers(NotifyRepository(session), work)
    return await tell_officers(session, notifier, meta, event, work, officers)


async def dossier_deadline(
    session: AsyncSession, notifier: Notifier, meta: EventMeta, event: DossierDeadline
) -> list[int]:
    """Due today (processing), overdue (intake: the one-stop desk; processing), a step over budget."""
    repo = NotifyRepository(session)
    work = await repo.dossier(event.code) or DossierWork(
        code=event.code, procedure_code=event.procedure_code, agency_id=event.agency_id, updated_at=meta.time
    )
    if event.kind == "intake":
        officers = await one_stop_officers(repo, work)
    else:
        officers = await responsible_officers(repo, work)
    return await tell_officers(session, notifier, meta, event, work, officers)
