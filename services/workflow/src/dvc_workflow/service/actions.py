"""What each action does to a dossier (pure moves; to become a transition table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dvc_common.auth import Principal
from dvc_common.events.catalog import (
    DOSSIER_EXTENDED,
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_RESULT_READY,
    DOSSIER_RESULT_RETURNED,
    DOSSIER_STOPPED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DOSSIER_WITHDRAWN,
    DossierExtended,
    DossierMilestone,
    DossierReceived,
    EventType,
)
from dvc_common.problems import Problem
from dvc_common.worktime import DossierClock, Duration, Outcome, Unit, add_duration
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.catalog import ProcedureDefinition
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.domain.process import ProcessDefinition, ProcessStep
from dvc_workflow.models import Dossier
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.schemas import ActionRequest
from dvc_workflow.service.context import Context
from dvc_workflow.service.deadlines import classify, clock_of, legal_duration, store_clock
from dvc_workflow.service.steps import move_to


@dataclass
class Change:
    """What a transition produced, turned into rows and events by `commit`."""

    status: int
    note: str | None = None
    step_content: str | None = None
    events: list[tuple[EventType[Any], Any]] | None = None


async def apply(
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
    clock = clock_of(ctx, dossier)
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
        clock = DossierClock.start(ctx.calendar, now, legal_duration(definition))
        store_clock(ctx, dossier, clock)
        await move_to(repo, ctx, dossier, after_reception(), actor, now)
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
            store_clock(ctx, dossier, clock)
            timeliness = classify(dossier, clock)
        await move_to(repo, ctx, dossier, None, actor, now)
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
            store_clock(ctx, dossier, clock)
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
            clock = DossierClock.start(ctx.calendar, now, legal_duration(definition))
        store_clock(ctx, dossier, clock)
        await move_to(repo, ctx, dossier, after_reception(), actor, now)
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
            return await forward(repo, ctx, dossier, step, clock, actor, request, now, milestone)
        target_id = request.next_step or (step.next[0] if step.next else None)
        if target_id is None or target_id not in step.next:
            raise Problem(
                409,
                "illegal-step",
                "Bước chuyển không hợp lệ",
                f"Từ bước «{step.name}» chỉ được chuyển tới: {', '.join(step.next) or 'không có'}.",
                allowed_steps=step.next,
            )
        return await forward(
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
        await move_to(repo, ctx, dossier, target, actor, now)
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
        store_clock(ctx, dossier, clock)
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
            store_clock(ctx, dossier, clock.stop(now, Outcome.REJECTED))
        await move_to(repo, ctx, dossier, None, actor, now)
        return Change(
            lc.STOPPED,
            note=reason,
            step_content="Dừng xử lý hồ sơ",
            events=[(DOSSIER_STOPPED, DossierMilestone(**milestone, at=now, reason=reason))],
        )

    if action is Action.WITHDRAW:
        if clock is not None:
            store_clock(ctx, dossier, clock.stop(now, Outcome.WITHDRAWN))
        await move_to(repo, ctx, dossier, None, actor, now)
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
    await move_to(repo, ctx, dossier, None, actor, now)
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


async def forward(
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
    await move_to(repo, ctx, dossier, target, actor, now)
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
            store_clock(ctx, dossier, clock)
            timeliness = classify(dossier, clock)
        return Change(
            lc.RESULT_READY,
            note=dossier.timeliness_explanation,
            step_content="Đã có kết quả giải quyết",
            events=[(DOSSIER_RESULT_READY, DossierMilestone(**milestone, at=now, timeliness=timeliness))],
        )
    return Change(lc.PROCESSING, note=request.reason, step_content=f"Chuyển bước «{target.name}»")
