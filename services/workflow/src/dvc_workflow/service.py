"""Workflow use-cases. They never commit: the request or message boundary does."""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.audit import GENESIS, first_break, record_hash
from dvc_common.auth import Principal
from dvc_common.events import (
    DOSSIER_STATUS_CHANGED,
    PAYMENT_COMPLETED,
    PROCEDURE_PUBLISHED,
    CloudEvent,
    DossierStatusChanged,
    DossierSubmitted,
    ProcedurePublished,
    ProcessingStep,
    ProcessingTime,
)
from dvc_common.events.catalog import (
    DOSSIER_DUE_SOON,
    DOSSIER_EXTENDED,
    DOSSIER_OVERDUE,
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_RESUBMITTED,
    DOSSIER_RESULT_READY,
    DOSSIER_RESULT_RETURNED,
    DOSSIER_STEP_OVERDUE,
    DOSSIER_STOPPED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DOSSIER_WITHDRAWN,
    DossierDeadline,
    DossierExtended,
    DossierMilestone,
    DossierReceived,
    EventType,
)
from dvc_common.outbox import Outbox
from dvc_common.problems import Problem
from dvc_common.worktime import (
    Calendar,
    ClockError,
    DossierClock,
    Duration,
    Outcome,
    Unit,
    add_duration,
    check_step,
    event_from_record,
    event_to_record,
    fmt_working_duration,
    intake_deadline,
)
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.catalog import ProcedureDefinition
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.domain.process import ProcessDefinition, ProcessStep, default_process, validate
from dvc_workflow.models import AuditEntry, Dossier, Procedure, Process, StatusHistory, StepLog
from dvc_workflow.repository import WorkflowRepository

log = logging.getLogger(__name__)

SYSTEM = "system"


@dataclass(frozen=True)
class Context:
    """What every use-case needs besides the session: the outbox and the working-time calendar."""

    outbox: Outbox
    calendar: Calendar


# ==================================================================== catalog
def published_payload(procedure: ProcedureDefinition) -> ProcedurePublished:
    return ProcedurePublished(
        code=procedure.code,
        name=procedure.name,
        field_name=procedure.field_name,
        agency_id=procedure.agency_id,
        agency_name=procedure.agency_name,
        processing_time=procedure.processing_time,
        online_level=procedure.online_level,
        components=procedure.components,
        revision=procedure.revision,
        fees=procedure.fees,
        result_documents=procedure.result_documents,
        signature_required=procedure.signature_required,
        result_delivery=procedure.result_delivery,
    )


async def publish_catalog(session: AsyncSession, outbox: Outbox, catalog: list[ProcedureDefinition]) -> int:
    """Store the catalog; announce each new or changed procedure once; give every procedure without an
    internal process a default one (published, version 1). Returns how many were announced."""
    repo = WorkflowRepository(session)
    now = datetime.now(UTC)
    announced = 0
    for procedure in catalog:
        if await repo.publish_procedure(
            procedure.code, procedure.model_dump(mode="json"), procedure.revision, now
        ):
            await outbox.add(
                session, PROCEDURE_PUBLISHED, published_payload(procedure), subject=procedure.code
            )
            announced += 1
        if await repo.latest_published(procedure.code, procedure.agency_id) is None:
            definition = default_process(procedure.processing_time, with_payment=bool(procedure.fees))
            version = await repo.next_process_version(procedure.code, procedure.agency_id)
            await repo.add_process(
                Process(
                    procedure_code=procedure.code,
                    agency_id=procedure.agency_id,
                    version=version,
                    state="published",
                    definition=definition.model_dump(mode="json"),
                    created_by=SYSTEM,
                    created_at=now,
                    published_at=now,
                )
            )
    log.info("catalog loaded", extra={"procedures": len(catalog), "announced": announced})
    return announced


async def list_procedures(session: AsyncSession) -> list[Procedure]:
    return await WorkflowRepository(session).procedures()


async def import_procedures(
    session: AsyncSession, ctx: Context, actor: Principal, procedures: list[ProcedureDefinition]
) -> int:
    announced = await publish_catalog(session, ctx.outbox, procedures)
    await append_audit(
        session, actor.subject, "procedure.import", "catalog", {"codes": [p.code for p in procedures]}
    )
    return announced


def _procedure_definition(procedure: Procedure) -> ProcedureDefinition:
    return ProcedureDefinition.model_validate(procedure.definition)


# ==================================================================== internal processes
async def create_process_draft(
    session: AsyncSession,
    actor: Principal,
    procedure_code: str,
    agency_id: str,
    definition: ProcessDefinition,
) -> Process:
    repo = WorkflowRepository(session)
    if await repo.procedure(procedure_code) is None:
        raise Problem(
            404, "procedure-not-found", "Không tìm thấy thủ tục", f"Không có thủ tục «{procedure_code}»."
        )
    _require_agency(actor, agency_id)
    now = datetime.now(UTC)
    process = await repo.add_process(
        Process(
            procedure_code=procedure_code,
            agency_id=agency_id,
            version=await repo.next_process_version(procedure_code, agency_id),
            state="draft",
            definition=definition.model_dump(mode="json"),
            created_by=actor.subject,
            created_at=now,
        )
    )
    await append_audit(
        session, actor.subject, "process.draft", f"{procedure_code}@{agency_id}", {"version": process.version}
    )
    return process


async def publish_process(session: AsyncSession, ctx: Context, actor: Principal, process_id: int) -> Process:
    repo = WorkflowRepository(session)
    process = await repo.process(process_id, lock=True)
    if process is None:
        raise Problem(
            404, "process-not-found", "Không tìm thấy quy trình", f"Không có quy trình số {process_id}."
        )
    _require_agency(actor, process.agency_id)
    if process.state != "draft":
        raise Problem(
            409,
            "process-already-published",
            "Quy trình đã được công bố",
            "Quy trình đã công bố không sửa được; hãy tạo phiên bản mới.",
            state=process.state,
        )
    procedure = await repo.procedure(process.procedure_code)
    assert procedure is not None
    legal = _procedure_definition(procedure).processing_time
    reasons = validate(ProcessDefinition.model_validate(process.definition), legal)
    if reasons:
        raise Problem(
            422,
            "process-invalid",
            "Quy trình chưa hợp lệ",
            "Không thể công bố quy trình: " + " ".join(reasons),
            reasons=reasons,
        )
    now = datetime.now(UTC)
    process.state = "published"
    process.published_at = now
    repo.add(process)
    # Announce the procedure again so intake and payments refresh their copies (fees, delivery, ...).
    await ctx.outbox.add(
        session,
        PROCEDURE_PUBLISHED,
        published_payload(_procedure_definition(procedure)),
        subject=procedure.code,
    )
    await append_audit(
        session,
        actor.subject,
        "process.publish",
        f"{process.procedure_code}@{process.agency_id}",
        {"version": process.version},
    )
    return process


async def list_processes(session: AsyncSession, procedure_code: str, agency_id: str) -> list[Process]:
    return await WorkflowRepository(session).processes(procedure_code, agency_id)


def _require_agency(actor: Principal, agency_id: str) -> None:
    if "provincial_operator" in actor.roles:
        return
    if actor.agency_id != agency_id:
        raise Problem(
            403,
            "other-agency",
            "Không thuộc cơ quan của bạn",
            f"Cán bộ của cơ quan {actor.agency_id} không được thao tác với dữ liệu của cơ quan {agency_id}.",
        )


# ==================================================================== dossiers: opening
async def open_dossier(
    session: AsyncSession, outbox: Outbox, event: CloudEvent, calendar: Calendar | None = None
) -> None:
    """A submitted dossier enters the lifecycle in national status 1 (newly registered), on the latest
    published internal process of its procedure and agency, with the 8-working-hour intake deadline."""
    submitted = DossierSubmitted.model_validate(event.data)
    repo = WorkflowRepository(session)
    process = await repo.latest_published(submitted.procedure_code, submitted.agency_id)
    step = ProcessDefinition.model_validate(process.definition).first if process else None
    intake_due = step_due = None
    if calendar is not None:
        intake_due = intake_deadline(calendar, submitted.submitted_at).instant
        if step is not None and step.budget is not None:
            step_due = add_duration(calendar, submitted.submitted_at, step.budget.duration()).instant
    dossier = Dossier(
        code=submitted.code,
        procedure_code=submitted.procedure_code,
        agency_id=submitted.agency_id,
        status=lc.NEWLY_REGISTERED,
        submitted_at=submitted.submitted_at,
        updated_at=submitted.submitted_at,
        channel=submitted.channel,
        owner_subject=submitted.owner_subject,
        process_id=process.id if process else None,
        step_id=step.id if step else None,
        step_due_at=step_due,
        intake_due_at=intake_due,
        due_at=intake_due or step_due or submitted.submitted_at,
    )
    if not await repo.open_dossier(dossier):
        log.info("dossier already open", extra={"code": submitted.code})
        return
    repo.add(
        StatusHistory(
            dossier_code=submitted.code,
            status=lc.NEWLY_REGISTERED,
            changed_at=submitted.submitted_at,
            action="submit",
            actor_subject=submitted.owner_subject,
        )
    )
    if step is not None:
        repo.add(
            StepLog(
                dossier_code=submitted.code,
                step_id=step.id,
                step_name=step.name,
                received_at=submitted.submitted_at,
                due_at=step_due,
            )
        )
    await outbox.add(
        session,
        DOSSIER_STATUS_CHANGED,
        DossierStatusChanged(
            code=submitted.code,
            procedure_code=submitted.procedure_code,
            agency_id=submitted.agency_id,
            status=lc.NEWLY_REGISTERED,
            status_name=lc.status_name(lc.NEWLY_REGISTERED),
            previous_status=None,
            changed_at=submitted.submitted_at,
        ),
        subject=submitted.code,
        correlation_id=event.correlationid,
    )
    await append_audit(
        session, submitted.owner_subject or "applicant", "dossier.submit", submitted.code, {"status": 1}
    )
    log.info("dossier opened", extra={"code": submitted.code, "status": lc.NEWLY_REGISTERED})


# ==================================================================== dossiers: transitions
class ActionRequest(BaseModel):
    """What an officer or the applicant sends with an action (fields depend on the action)."""

    expected_status: int | None = Field(default=None, ge=1, le=10, description="409 when the status differs")
    expected_version: int | None = Field(default=None, ge=1, description="409 when the version differs")
    reason: str | None = Field(default=None, max_length=2000)
    next_step: str | None = Field(
        default=None, description="forward: the branch to take (default: the first)"
    )
    to_step: str | None = Field(default=None, description="send_back: the earlier step")
    assignee_subject: str | None = None
    assignee_name: str | None = None
    department: str | None = None
    extension: ProcessingTime | None = Field(default=None, description="extend: extra processing time")
    delivery_method: Literal["counter", "post", "online"] | None = None
    agency_id: str | None = Field(default=None, description="transfer: the other agency (liên thông)")


@dataclass
class Change:
    """What a transition produced, turned into rows and events by `_commit`."""

    status: int
    note: str | None = None
    step_content: str | None = None
    events: list[tuple[EventType[Any], Any]] | None = None


async def transition(
    session: AsyncSession,
    ctx: Context,
    code: str,
    action: Action,
    actor: Principal,
    request: ActionRequest,
    now: datetime,
) -> Dossier:
    """Apply one action to a dossier under its row lock: authorise, check the expected state and the
    lifecycle, compute times with the working-time engine, then write state, history, audit and events."""
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(code, lock=True)
    if dossier is None:
        raise _not_found(code)
    process = await _process_of(repo, dossier)
    step = _current_step(process, dossier)
    _authorise(dossier, step, action, actor)
    if (request.expected_status is not None and request.expected_status != dossier.status) or (
        request.expected_version is not None and request.expected_version != dossier.version
    ):
        raise Problem(
            409,
            "state-conflict",
            "Hồ sơ đã thay đổi",
            f"Hồ sơ đang ở trạng thái {dossier.status} «{lc.status_name(dossier.status)}» (phiên bản "
            f"{dossier.version}), khác với trạng thái bạn đang xem; vui lòng tải lại.",
            current_status=dossier.status,
            current_version=dossier.version,
            allowed_actions=[a.value for a in lc.allowed_actions(dossier.status)],
        )
    verdict = lc.check_status(action, dossier.status)
    if not verdict.allowed:
        raise Problem(
            409,
            "illegal-transition",
            "Thao tác không hợp lệ với trạng thái hiện tại",
            verdict.reason,
            current_status=dossier.status,
            current_status_name=lc.status_name(dossier.status),
            allowed_actions=[a.value for a in lc.allowed_actions(dossier.status)],
        )
    procedure = await repo.procedure(dossier.procedure_code)
    if procedure is None:
        raise Problem(
            409,
            "procedure-not-found",
            "Không tìm thấy thủ tục",
            f"Thủ tục «{dossier.procedure_code}» chưa có trong danh mục.",
        )
    definition = _procedure_definition(procedure)
    previous = dossier.status
    try:
        change = await _apply(repo, ctx, dossier, process, step, definition, action, actor, request, now)
    except ClockError as exc:
        raise Problem(
            409,
            "deadline-rule",
            "Không thực hiện được theo quy định về thời hạn",
            str(exc),
            current_status=dossier.status,
        ) from exc
    await _commit(session, ctx, repo, dossier, previous, change, action, actor, request, now)
    return dossier


async def _process_of(repo: WorkflowRepository, dossier: Dossier) -> ProcessDefinition | None:
    if dossier.process_id is None:
        return None
    process = await repo.process(dossier.process_id)
    return ProcessDefinition.model_validate(process.definition) if process else None


def _current_step(process: ProcessDefinition | None, dossier: Dossier) -> ProcessStep | None:
    if process is None or dossier.step_id is None:
        return None
    return process.step(dossier.step_id)


def _authorise(dossier: Dossier, step: ProcessStep | None, action: Action, actor: Principal) -> None:
    if not actor.is_officer:
        if (
            action not in lc.CITIZEN_ACTIONS
            or dossier.owner_subject is None
            or dossier.owner_subject != actor.subject
        ):
            raise Problem(
                403,
                "forbidden",
                "Không có quyền",
                "Bạn chỉ được rút hồ sơ của chính mình; thành phần bổ sung nộp tại cổng nộp hồ sơ.",
            )
        return
    # An inter-agency step (by the process, or a transfer) lets the other agency act on the dossier.
    inter_agency = dossier.step_agency_id is not None and dossier.step_agency_id == actor.agency_id
    if inter_agency and action is Action.TRANSFER:
        inter_agency = False  # only the competent agency sends a dossier elsewhere
    if actor.agency_id != dossier.agency_id and not inter_agency:
        raise Problem(
            403,
            "other-agency",
            "Hồ sơ không thuộc cơ quan của bạn",
            f"Hồ sơ {dossier.code} do cơ quan {dossier.agency_id} giải quyết; cán bộ của cơ quan "
            f"{actor.agency_id} không được thao tác.",
        )
    if action in (Action.FORWARD, Action.SEND_BACK):
        allowed = step is None or lc.may_act_on_step(actor.roles, step.role)
        needed = step.role if step is not None else ""
    else:
        allowed = bool(actor.roles & lc.ROLES[action])
        needed = ", ".join(sorted(lc.ROLES[action]))
    if not allowed:
        raise Problem(
            403, "forbidden", "Không có quyền", f"Thao tác «{action.label_vi}» cần vai trò: {needed}."
        )


def _duration(definition: ProcedureDefinition) -> Duration:
    return Duration(int(definition.processing_time.value), Unit(definition.processing_time.unit))


def _clock(ctx: Context, dossier: Dossier) -> DossierClock | None:
    if not dossier.clock:
        return None
    return DossierClock.replay(ctx.calendar, [event_from_record(r) for r in dossier.clock])


def _store_clock(ctx: Context, dossier: Dossier, clock: DossierClock) -> None:
    dossier.clock = [event_to_record(e) for e in clock.events]
    dossier.received_at = clock.cycle_start.instant
    dossier.appointment_at = clock.deadline.instant
    dossier.deadline = {
        "receipt": clock.cycle_start.as_record(),
        "appointment": clock.deadline.as_record(),
    }
    dossier.supplement_count = clock.supplement_count
    dossier.extension_used = clock.extension is not None
    dossier.due_soon_at = (
        ctx.calendar.working_periods(clock.deadline.instant.date())[0][0]
        if ctx.calendar.is_working_day(clock.deadline.instant.date())
        else clock.deadline.instant
    )


def _step_due(ctx: Context, step: ProcessStep, start: datetime) -> datetime | None:
    return add_duration(ctx.calendar, start, step.budget.duration()).instant if step.budget else None


async def _move_to(
    repo: WorkflowRepository,
    ctx: Context,
    dossier: Dossier,
    step: ProcessStep | None,
    actor: Principal,
    now: datetime,
) -> None:
    """Close the open step (coloured by the engine) and open `step`."""
    open_step = await repo.open_step(dossier.code)
    if open_step is not None:
        open_step.handed_on_at = now
        open_step.officer_subject = open_step.officer_subject or actor.subject
        open_step.officer_name = open_step.officer_name or actor.name
        budget = await _budget(repo, dossier, open_step.step_id)
        if budget is not None:
            checked = check_step(ctx.calendar, open_step.step_name, budget, open_step.received_at, now)
            open_step.color, open_step.explanation = checked.color.value, checked.explanation
        elif open_step.due_at is not None:
            open_step.color, open_step.explanation = _check(ctx, dossier, open_step, now)
        repo.add(open_step)
    dossier.step_agency_id = step.agency_id if step is not None and step.kind == "inter_agency" else None
    if step is None:
        return
    dossier.step_id = step.id
    dossier.step_started_at = now
    dossier.step_due_at = _step_due(ctx, step, now)
    dossier.step_overdue_sent = False
    dossier.assignee_subject = dossier.assignee_name = dossier.assignee_department = None
    repo.add(
        StepLog(
            dossier_code=dossier.code,
            step_id=step.id,
            step_name=step.name,
            received_at=now,
            due_at=dossier.step_due_at,
        )
    )


async def _budget(repo: WorkflowRepository, dossier: Dossier, step_id: str) -> Duration | None:
    process = await _process_of(repo, dossier)
    if process is None:
        return None
    try:
        budget = process.step(step_id).budget
    except KeyError:
        return None
    return budget.duration() if budget is not None else None


def _check(ctx: Context, dossier: Dossier, entry: StepLog, now: datetime) -> tuple[str, str]:
    assert entry.due_at is not None
    budget_end = entry.due_at
    color = "green" if now <= budget_end else "red"
    hours = ctx.calendar.hours.hours_per_working_day
    if color == "green":
        text = f"Bước {entry.step_name}: trong hạn, còn {fmt_working_duration(ctx.calendar.working_time_between(now, budget_end), hours)}"
    else:
        text = f"Bước {entry.step_name}: vượt {fmt_working_duration(ctx.calendar.working_time_between(budget_end, now), hours)}"
    return color, text


async def _apply(
    repo: WorkflowRepository,
    ctx: Context,
    dossier: Dossier,
    process: ProcessDefinition | None,
    step: ProcessStep | None,
    definition: ProcedureDefinition,
    action: Action,
    actor: Principal,
    request: ActionRequest,
    now: datetime,
) -> Change:
    clock = _clock(ctx, dossier)
    milestone = dict(code=dossier.code, procedure_code=dossier.procedure_code, agency_id=dossier.agency_id)

    def need_reason() -> str:
        if not request.reason or not request.reason.strip():
            raise Problem(
                422, "reason-required", "Thiếu lý do", f"Thao tác «{action.label_vi}» phải ghi rõ lý do."
            )
        return request.reason.strip()

    def received_event(c: DossierClock) -> tuple[EventType[Any], Any]:
        return (
            DOSSIER_RECEIVED,
            DossierReceived(
                **milestone,
                received_at=c.cycle_start.instant,
                appointment_at=c.deadline.instant,
                appointment_rule=c.deadline.rule,
                explanation=c.deadline.explanation,
                supplement_count=c.supplement_count,
            ),
        )

    def after_reception() -> ProcessStep | None:
        if process is None:
            return None
        current = step or process.first
        if current.id == process.first.id and current.next:
            return process.step(current.next[0])
        return current

    if action is Action.ACCEPT:
        clock = DossierClock.start(ctx.calendar, now, _duration(definition))
        _store_clock(ctx, dossier, clock)
        await _move_to(repo, ctx, dossier, after_reception(), actor, now)
        return Change(
            lc.RECEIVED,
            note=clock.deadline.explanation,
            step_content="Tiếp nhận hồ sơ",
            events=[received_event(clock)],
        )

    if action is Action.REJECT:
        reason = need_reason()
        timeliness = None
        if clock is not None:
            clock = clock.stop(now, Outcome.REJECTED)
            _store_clock(ctx, dossier, clock)
            timeliness = _classify(dossier, clock)
        await _move_to(repo, ctx, dossier, None, actor, now)
        return Change(
            lc.NOT_RECEIVED,
            note=reason,
            step_content="Từ chối hồ sơ",
            events=[
                (
                    DOSSIER_REJECTED,
                    DossierMilestone(**milestone, at=now, reason=reason, timeliness=timeliness),
                )
            ],
        )

    if action is Action.REQUEST_SUPPLEMENT:
        reason = need_reason()
        if clock is not None:
            clock = clock.request_supplement(now)
            _store_clock(ctx, dossier, clock)
        # Before the receipt there is no processing clock: the applicant completes the dossier and its
        # receipt is then the first one (national scoring counts supplements during processing).
        return Change(
            lc.SUPPLEMENT_REQUESTED,
            note=reason,
            step_content="Yêu cầu bổ sung hồ sơ",
            events=[(DOSSIER_SUPPLEMENT_REQUESTED, DossierMilestone(**milestone, at=now, reason=reason))],
        )

    if action is Action.RESUBMIT:
        if clock is not None:
            clock = clock.resubmit(now)
        else:
            clock = DossierClock.start(ctx.calendar, now, _duration(definition))
        _store_clock(ctx, dossier, clock)
        await _move_to(repo, ctx, dossier, after_reception(), actor, now)
        return Change(
            lc.RECEIVED,
            note=clock.deadline.explanation,
            step_content=f"Tiếp nhận hồ sơ bổ sung lần {dossier.supplement_count}",
            events=[received_event(clock)],
        )

    if action is Action.ASSIGN:
        if not (request.assignee_subject or request.department):
            raise Problem(
                422,
                "assignee-required",
                "Thiếu người hoặc phòng được phân công",
                "Hãy chọn cán bộ hoặc phòng xử lý.",
            )
        dossier.assignee_subject = request.assignee_subject
        dossier.assignee_name = request.assignee_name
        dossier.assignee_department = request.department
        who = request.assignee_name or request.assignee_subject or request.department
        return Change(dossier.status, note=f"Phân công: {who}")

    if action is Action.FORWARD:
        if process is None or step is None:
            raise Problem(
                409,
                "no-process",
                "Hồ sơ chưa gắn quy trình nội bộ",
                "Thủ tục chưa có quy trình nội bộ được công bố.",
            )
        if step.kind == "result":  # a one-step process: the received dossier is decided at once
            return await _forward(repo, ctx, dossier, step, clock, actor, request, now, milestone)
        target_id = request.next_step or (step.next[0] if step.next else None)
        if target_id is None or target_id not in step.next:
            raise Problem(
                409,
                "illegal-step",
                "Bước chuyển không hợp lệ",
                f"Từ bước «{step.name}» chỉ được chuyển tới: {', '.join(step.next) or 'không có'}.",
                allowed_steps=step.next,
            )
        return await _forward(
            repo, ctx, dossier, process.step(target_id), clock, actor, request, now, milestone
        )

    if action is Action.SEND_BACK:
        if process is None or step is None or not request.to_step:
            raise Problem(
                422, "to-step-required", "Thiếu bước trả lại", "Hãy chọn bước trước để trả lại hồ sơ."
            )
        index = {s.id: i for i, s in enumerate(process.steps)}
        if request.to_step not in index or index[request.to_step] >= index[step.id]:
            raise Problem(
                409,
                "illegal-step",
                "Bước trả lại không hợp lệ",
                f"Chỉ được trả lại một bước đứng trước bước «{step.name}».",
            )
        target = process.step(request.to_step)
        await _move_to(repo, ctx, dossier, target, actor, now)
        return Change(lc.PROCESSING, note=request.reason, step_content=f"Trả lại bước «{target.name}»")

    if action is Action.TRANSFER:
        reason = need_reason()
        if not request.agency_id or request.agency_id == dossier.agency_id:
            raise Problem(
                422,
                "agency-required",
                "Thiếu cơ quan phối hợp",
                "Hãy chọn cơ quan khác để chuyển liên thông.",
            )
        dossier.step_agency_id = request.agency_id
        dossier.assignee_subject = dossier.assignee_name = dossier.assignee_department = None
        return Change(
            lc.PROCESSING,
            note=f"Chuyển liên thông tới {request.agency_id}: {reason}",
            step_content="Chuyển liên thông",
        )

    if action is Action.EXTEND:
        reason = need_reason()
        if clock is None or request.extension is None:
            raise Problem(
                422, "extension-required", "Thiếu thời gian gia hạn", "Hãy nêu thời gian gia hạn thêm."
            )
        extra = Duration(int(request.extension.value), Unit(request.extension.unit))
        previous_appointment = clock.deadline.instant
        new = add_duration(ctx.calendar, previous_appointment, extra, label="hẹn trả kết quả mới").instant
        clock = clock.extend(now, new, reason)
        _store_clock(ctx, dossier, clock)
        dossier.overdue_sent = dossier.due_soon_sent = False
        return Change(
            dossier.status,
            note=f"Gia hạn: {reason}",
            step_content="Gia hạn, xin lỗi và hẹn lại ngày trả kết quả",
            events=[
                (
                    DOSSIER_EXTENDED,
                    DossierExtended(
                        **milestone,
                        extended_at=now,
                        previous_appointment_at=previous_appointment,
                        appointment_at=new,
                        reason=reason,
                    ),
                )
            ],
        )

    if action is Action.STOP:
        reason = need_reason()
        if clock is not None:
            _store_clock(ctx, dossier, clock.stop(now, Outcome.REJECTED))
        await _move_to(repo, ctx, dossier, None, actor, now)
        return Change(
            lc.STOPPED,
            note=reason,
            step_content="Dừng xử lý hồ sơ",
            events=[(DOSSIER_STOPPED, DossierMilestone(**milestone, at=now, reason=reason))],
        )

    if action is Action.WITHDRAW:
        if clock is not None:
            _store_clock(ctx, dossier, clock.stop(now, Outcome.WITHDRAWN))
        await _move_to(repo, ctx, dossier, None, actor, now)
        return Change(
            lc.WITHDRAWN,
            note=request.reason,
            step_content="Rút hồ sơ",
            events=[(DOSSIER_WITHDRAWN, DossierMilestone(**milestone, at=now, reason=request.reason))],
        )

    assert action is Action.RETURN_RESULT
    method = request.delivery_method
    if method is None or method not in definition.result_delivery:
        raise Problem(
            422,
            "delivery-method",
            "Hình thức trả kết quả không hợp lệ",
            f"Thủ tục này trả kết quả theo: {', '.join(definition.result_delivery)}.",
            allowed=definition.result_delivery,
        )
    dossier.delivery_method = method
    await _move_to(repo, ctx, dossier, None, actor, now)
    return Change(
        lc.RESULT_RETURNED,
        note=f"Trả kết quả: {method}",
        step_content="Trả kết quả",
        events=[
            (
                DOSSIER_RESULT_RETURNED,
                DossierMilestone(**milestone, at=now, delivery_method=method, timeliness=dossier.timeliness),
            )
        ],
    )


def _classify(dossier: Dossier, clock: DossierClock) -> str:
    classification = clock.classify()
    dossier.timeliness = classification.legal.value
    dossier.timeliness_explanation = classification.explanation
    dossier.result_at = classification.result_at
    return classification.legal.value


async def _forward(
    repo: WorkflowRepository,
    ctx: Context,
    dossier: Dossier,
    target: ProcessStep,
    clock: DossierClock | None,
    actor: Principal,
    request: ActionRequest,
    now: datetime,
    milestone: dict[str, str],
) -> Change:
    await _move_to(repo, ctx, dossier, target, actor, now)
    if request.assignee_subject or request.department:
        dossier.assignee_subject = request.assignee_subject
        dossier.assignee_name = request.assignee_name
        dossier.assignee_department = request.department
    if target.kind == "payment":
        return Change(lc.AWAITING_PAYMENT, note="Chờ thực hiện nghĩa vụ tài chính", step_content=target.name)
    if target.kind == "result":
        timeliness = None
        if clock is not None:
            clock = clock.stop(now, Outcome.RESULT)
            _store_clock(ctx, dossier, clock)
            timeliness = _classify(dossier, clock)
        return Change(
            lc.RESULT_READY,
            note=dossier.timeliness_explanation,
            step_content="Đã có kết quả giải quyết",
            events=[(DOSSIER_RESULT_READY, DossierMilestone(**milestone, at=now, timeliness=timeliness))],
        )
    return Change(lc.PROCESSING, note=request.reason, step_content=f"Chuyển bước «{target.name}»")


async def _commit(
    session: AsyncSession,
    ctx: Context,
    repo: WorkflowRepository,
    dossier: Dossier,
    previous: int,
    change: Change,
    action: Action | str,
    actor: Principal,
    request: ActionRequest | None,
    now: datetime,
) -> None:
    dossier.status = change.status
    dossier.version += 1
    dossier.updated_at = now
    dossier.in_queue = change.status in lc.QUEUE_STATUSES and change.status != lc.SUPPLEMENT_REQUESTED
    dossier.due_at = _due(dossier)
    repo.add(dossier)
    action_name = action.value if isinstance(action, Action) else action
    repo.add(
        StatusHistory(
            dossier_code=dossier.code,
            status=change.status,
            changed_at=now,
            note=change.note,
            action=action_name,
            actor_subject=actor.subject,
            actor_name=actor.name,
        )
    )
    for event_type, payload in change.events or []:
        await ctx.outbox.add(session, event_type, payload, subject=dossier.code)
    if change.status != previous or action_name == Action.EXTEND.value:
        await ctx.outbox.add(
            session,
            DOSSIER_STATUS_CHANGED,
            DossierStatusChanged(
                code=dossier.code,
                procedure_code=dossier.procedure_code,
                agency_id=dossier.agency_id,
                status=change.status,
                status_name=lc.status_name(change.status),
                previous_status=previous,
                changed_at=now,
                note=change.note,
                received_at=dossier.received_at,
                appointment_at=dossier.appointment_at,
                step=ProcessingStep(
                    officer_name=actor.name or ("Hệ thống" if actor.subject == SYSTEM else actor.subject),
                    officer_position=actor.position,
                    department=dossier.assignee_department,
                    content=change.step_content
                    or (action.label_vi if isinstance(action, Action) else action_name),
                    started_at=dossier.step_started_at,
                    due_at=dossier.step_due_at,
                ),
            ),
            subject=dossier.code,
        )
    await append_audit(
        session,
        actor.subject,
        f"dossier.{action_name}",
        dossier.code,
        {
            "from": previous,
            "to": change.status,
            "version": dossier.version,
            "note": change.note,
            "agency": actor.agency_id,
            "request": request.model_dump(mode="json", exclude_none=True) if request else {},
        },
        at=now,
    )


def _due(dossier: Dossier) -> datetime | None:
    if dossier.status == lc.NEWLY_REGISTERED:
        return dossier.intake_due_at or dossier.step_due_at or dossier.submitted_at
    if dossier.status == lc.RESULT_READY:
        return dossier.appointment_at or dossier.updated_at
    return dossier.step_due_at or dossier.appointment_at or dossier.updated_at


def _not_found(code: str) -> Problem:
    return Problem(404, "dossier-not-found", "Không tìm thấy hồ sơ", f"Không có hồ sơ mang mã «{code}».")


async def supplement_uploaded(session: AsyncSession, ctx: Context, event: CloudEvent) -> None:
    """The applicant uploaded the supplement at intake: the dossier (still status 5) goes back into the
    one-stop officers' queue, due within 8 working hours, until an officer receives it again."""
    uploaded = DOSSIER_RESUBMITTED.parse(event.data)
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(uploaded.code, lock=True)
    if dossier is None or dossier.status != lc.SUPPLEMENT_REQUESTED:
        log.info("supplement for a dossier not awaiting one", extra={"code": uploaded.code})
        return
    dossier.in_queue = True
    dossier.due_at = intake_deadline(ctx.calendar, uploaded.resubmitted_at).instant
    dossier.version += 1
    dossier.updated_at = uploaded.resubmitted_at
    repo.add(dossier)
    note = f"Người nộp đã bổ sung hồ sơ (lần {uploaded.supplement_round}, {len(uploaded.files)} tệp); chờ tiếp nhận lại"
    repo.add(
        StatusHistory(
            dossier_code=dossier.code,
            status=dossier.status,
            changed_at=uploaded.resubmitted_at,
            note=note,
            action="supplement_uploaded",
            actor_subject=dossier.owner_subject,
        )
    )
    await append_audit(
        session,
        dossier.owner_subject or "applicant",
        "dossier.supplement_uploaded",
        dossier.code,
        {"round": uploaded.supplement_round, "files": [f.sha256 for f in uploaded.files]},
    )


async def payment_completed(session: AsyncSession, ctx: Context, event: CloudEvent) -> None:
    """The fee is paid: a dossier waiting in status 6 moves on from its payment step."""
    paid = PAYMENT_COMPLETED.parse(event.data)
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(paid.dossier_code, lock=True)
    if dossier is None or dossier.status != lc.AWAITING_PAYMENT:
        log.info("payment for a dossier not awaiting payment", extra={"code": paid.dossier_code})
        return
    process = await _process_of(repo, dossier)
    step = _current_step(process, dossier)
    procedure = await repo.procedure(dossier.procedure_code)
    if process is None or step is None or not step.next or procedure is None:
        return
    system = Principal(
        subject=SYSTEM, kind="officer", name="Hệ thống thanh toán", agency_id=dossier.agency_id
    )
    previous = dossier.status
    clock = _clock(ctx, dossier)
    milestone = dict(code=dossier.code, procedure_code=dossier.procedure_code, agency_id=dossier.agency_id)
    request = ActionRequest(reason=f"Đã thanh toán {paid.amount} đồng, giao dịch {paid.transaction_id}")
    change = await _forward(
        repo, ctx, dossier, process.step(step.next[0]), clock, system, request, paid.paid_at, milestone
    )
    await _commit(
        session, ctx, repo, dossier, previous, change, "payment_completed", system, request, paid.paid_at
    )


# ==================================================================== reading
@dataclass(frozen=True)
class DossierState:
    dossier: Dossier
    history: list[StatusHistory]


async def dossier_state(session: AsyncSession, code: str) -> DossierState:
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise _not_found(code)
    return DossierState(dossier, await repo.history(code))


def may_read(dossier: Dossier, actor: Principal) -> bool:
    if not actor.is_officer:
        return dossier.owner_subject is not None and dossier.owner_subject == actor.subject
    if actor.roles & {"provincial_operator", "auditor"}:
        return True
    return actor.agency_id == dossier.agency_id


async def timeline(
    session: AsyncSession, ctx: Context, code: str, actor: Principal, now: datetime
) -> dict[str, Any]:
    repo = WorkflowRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None or not may_read(dossier, actor):
        raise _not_found(code)  # a citizen must not learn that somebody else's code exists
    history = await repo.history(code)
    steps = await repo.step_log(code)
    clock = _clock(ctx, dossier)
    return {
        "dossier": dossier,
        "history": history,
        "steps": [_slip_row(ctx, s, now) for s in steps],
        "clock": clock.status(now).explanation if clock else None,
    }


def _slip_row(ctx: Context, entry: StepLog, now: datetime) -> dict[str, Any]:
    color, explanation = entry.color, entry.explanation
    if entry.handed_on_at is None and entry.due_at is not None:
        color, explanation = _check(
            ctx,
            Dossier(code="", procedure_code="", agency_id="", status=0, submitted_at=now, updated_at=now),
            entry,
            now,
        )
    return {
        "step_id": entry.step_id,
        "step_name": entry.step_name,
        "officer_name": entry.officer_name,
        "department": entry.department,
        "received_at": entry.received_at,
        "handed_on_at": entry.handed_on_at,
        "due_at": entry.due_at,
        "color": color,
        "on_time": None if color is None else color == "green",
        "explanation": explanation,
    }


def encode_cursor(due_at: datetime, code: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([due_at.isoformat(), code]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        due, code = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(due), str(code)
    except (ValueError, TypeError) as exc:
        raise Problem(
            422,
            "bad-cursor",
            "Con trỏ phân trang không hợp lệ",
            "Hãy dùng giá trị next_cursor của trang trước.",
        ) from exc


async def work_queue(
    session: AsyncSession,
    ctx: Context,
    actor: Principal,
    *,
    scope: Literal["mine", "department", "agency", "inter_agency"],
    department: str | None,
    status: int | None,
    procedure_code: str | None,
    cursor: str | None,
    limit: int,
    now: datetime,
) -> tuple[list[dict[str, Any]], str | None]:
    repo = WorkflowRepository(session)
    if scope == "department" and not department:
        raise Problem(
            422, "department-required", "Thiếu phòng", "Hãy chọn phòng (department) để xem hồ sơ của phòng."
        )
    rows = await repo.queue(
        agency_id=None if scope in ("mine", "inter_agency") else actor.agency_id,
        assignee=actor.subject if scope == "mine" else None,
        step_agency=actor.agency_id if scope == "inter_agency" else None,
        department=department if scope == "department" else None,
        status=status,
        procedure_code=procedure_code,
        after=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    hours = ctx.calendar.hours.hours_per_working_day
    items = []
    for d in rows:
        due = d.due_at or now
        left = ctx.calendar.working_time_between(now, due)
        items.append(
            {
                "code": d.code,
                "procedure_code": d.procedure_code,
                "status": d.status,
                "status_name": lc.status_name(d.status),
                "step_id": d.step_id,
                "assignee_name": d.assignee_name,
                "department": d.assignee_department,
                "due_at": due,
                "appointment_at": d.appointment_at,
                "color": "green" if left >= timedelta(0) else "red",
                "time_left_text": f"còn {fmt_working_duration(left, hours)}"
                if left >= timedelta(0)
                else f"quá {fmt_working_duration(-left, hours)}",
                "time_left_seconds": int(left.total_seconds()),
                "intake_overdue": d.status == lc.NEWLY_REGISTERED
                and d.intake_due_at is not None
                and now > d.intake_due_at,
                "version": d.version,
            }
        )
    next_cursor = encode_cursor(rows[-1].due_at or now, rows[-1].code) if more and rows else None
    return items, next_cursor


async def my_dossiers(session: AsyncSession, actor: Principal, limit: int) -> list[Dossier]:
    return await WorkflowRepository(session).owned(actor.subject, limit)


# ==================================================================== supervision
async def supervise(session: AsyncSession, ctx: Context, now: datetime, limit: int = 500) -> int:
    """One pass of the deadline supervisor (the caller holds the lease). Returns events emitted."""
    repo = WorkflowRepository(session)
    passes: list[tuple[EventType[Any], str, str, str, Literal["intake", "processing", "step"]]] = [
        (DOSSIER_OVERDUE, "intake_overdue_sent", "intake_due_at", "status = 1 AND channel = 2", "intake"),
        (DOSSIER_DUE_SOON, "due_soon_sent", "due_soon_at", "in_queue AND status IN (2, 4, 6)", "processing"),
        (
            DOSSIER_OVERDUE,
            "overdue_sent",
            "appointment_at",
            "in_queue AND status IN (2, 4, 6, 9)",
            "processing",
        ),
        (
            DOSSIER_STEP_OVERDUE,
            "step_overdue_sent",
            "step_due_at",
            "in_queue AND status IN (1, 2, 4, 6)",
            "step",
        ),
    ]
    emitted = 0
    for event_type, flag, column, where, kind in passes:
        for d in await repo.claim_deadlines(flag, column, where, now, limit):
            assert d.due_at is not None
            payload = DossierDeadline(
                code=d.code,
                procedure_code=d.procedure_code,
                agency_id=d.agency_id,
                kind=kind,
                due_at=d.due_at,
                step=d.step_id if kind == "step" else None,
            )
            await ctx.outbox.add(session, event_type, payload, subject=d.code)
            emitted += 1
    await repo.record_head(now)
    return emitted


async def take_lease(session: AsyncSession, name: str, holder: str, seconds: float) -> bool:
    return await WorkflowRepository(session).take_lease(name, holder, seconds)


# ==================================================================== audit
async def append_audit(
    session: AsyncSession,
    actor: str,
    action: str,
    target: str,
    content: dict[str, Any],
    *,
    at: datetime | None = None,
) -> AuditEntry:
    repo = WorkflowRepository(session)
    last = await repo.last_audit()
    at = at or datetime.now(UTC)
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    content = json.loads(json.dumps(content, ensure_ascii=False, default=str))
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        target=target,
        content=content,
        prev_hash=prev,
        hash=record_hash(prev, _audit_content(seq, at, actor, action, target, content)),
    )
    repo.add(entry)
    return entry


def _audit_content(
    seq: int, at: datetime, actor: str, action: str, target: str, content: Any
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor,
        "action": action,
        "target": target,
        "content": content,
    }


@dataclass(frozen=True)
class AuditVerdict:
    checked: int
    first_broken_seq: int | None
    head_mismatch: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None and self.head_mismatch is None


async def verify_audit(session: AsyncSession, batch: int = 5000) -> AuditVerdict:
    """Walk the whole chain in order; name the first entry that does not verify."""
    repo = WorkflowRepository(session)
    checked, after, prev = 0, 0, GENESIS
    hashes: dict[int, str] = {}
    broken: int | None = None
    while broken is None:
        page = await repo.audit_page(after, batch)
        if not page:
            break
        records = []
        expected_seq = after + 1
        for e in page:
            if e.seq != expected_seq:  # a deleted entry
                broken = expected_seq
                break
            records.append(
                (
                    e.seq,
                    e.prev_hash,
                    e.hash,
                    _audit_content(e.seq, e.at, e.actor, e.action, e.target, e.content),
                )
            )
            expected_seq += 1
        bad = first_break(records, start=prev) if records else None
        if bad is not None:
            broken = bad
        for e in page:
            hashes[e.seq] = e.hash
        checked += len(page)
        after = page[-1].seq
        prev = page[-1].hash
    head_mismatch = None
    for head in await repo.heads():
        if hashes.get(head.seq) != head.hash:
            head_mismatch = head.seq
            break
    return AuditVerdict(checked, broken, head_mismatch)
