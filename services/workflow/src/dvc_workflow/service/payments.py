"""What payments sends: a paid fee moves the dossier on from its payment step."""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import PaymentCompleted
from dvc_common.principal import Principal
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.schemas import ActionRequest
from dvc_workflow.service.actions.handling import forward_to
from dvc_workflow.service.catalog import procedure_definition
from dvc_workflow.service.context import SYSTEM, Context
from dvc_workflow.service.lifecycle import commit
from dvc_workflow.service.steps import current_step, process_of
from dvc_workflow.service.transition import Transition

log = logging.getLogger(__name__)


async def payment_completed(session: AsyncSession, ctx: Context, paid: PaymentCompleted) -> None:
    """The fee is paid: a dossier waiting in status 6 moves on from its payment step."""
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(paid.dossier_code, lock=True)
    if dossier is None or dossier.status != lc.AWAITING_PAYMENT:
        log.info("payment for a dossier not awaiting payment", extra={"code": paid.dossier_code})
        return
    process = await process_of(repo, dossier)
    step = current_step(process, dossier)
    procedure = await repo.procedure(dossier.procedure_code)
    if process is None or step is None or not step.next or procedure is None:
        return
    system = Principal(
        subject=SYSTEM, kind="officer", name="Hệ thống thanh toán", agency_id=dossier.agency_id
    )
    request = ActionRequest(reason=f"Đã thanh toán {paid.amount} đồng, giao dịch {paid.transaction_id}")
    t = Transition(
        repo,
        ctx,
        dossier,
        process,
        step,
        procedure_definition(procedure),
        Action.FORWARD,
        system,
        request,
        paid.paid_at,
    )
    resumed = None
    if t.clock is not None and t.clock.awaiting_obligation:
        before = t.clock.deadline.instant
        t.clock = t.store(t.clock.obligation_met(paid.paid_at))
        resumed = t.clock.deadline.explanation_lines[-1] if t.clock.deadline.instant != before else None
        if t.clock.deadline.instant != before:
            dossier.overdue_sent = dossier.due_soon_sent = False  # the appointment moved
    change = await forward_to(t, process.step(step.next[0]))
    if resumed:
        change.note = f"{resumed}. {change.note}" if change.note else resumed
    await commit(session, t, change, recorded_as="payment_completed")
