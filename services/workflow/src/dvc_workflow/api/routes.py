"""HTTP routes: the catalog, internal processes, a dossier's lifecycle, work queues and the audit (thin)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel

from dvc_common.auth import CurrentPrincipal, Principal, Role, require_roles
from dvc_common.problems import Problem
from dvc_common.runtime import RuntimeDep
from dvc_workflow import service
from dvc_workflow.domain.catalog import parse_csv, parse_json
from dvc_workflow.domain.lifecycle import Action, allowed_actions, status_name
from dvc_workflow.domain.process import ProcessDefinition
from dvc_workflow.models import Dossier, Process

router = APIRouter(prefix="/api/v1", tags=["workflow"])

Runtime = RuntimeDep


def _ctx(request: Request) -> service.Context:
    ctx: service.Context = request.app.state.workflow
    return ctx


def _now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


Ctx = Annotated[service.Context, Depends(_ctx)]
Now = Annotated[datetime, Depends(_now)]
Officer = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.ONE_STOP_OFFICER,
            Role.PROCESSING_OFFICER,
            Role.DEPARTMENT_HEAD,
            Role.AGENCY_LEADER,
            Role.PROVINCIAL_OPERATOR,
        )
    ),
]
ProcessAdmin = Annotated[
    Principal, Depends(require_roles(Role.AGENCY_LEADER, Role.AGENCY_ADMIN, Role.PROVINCIAL_OPERATOR))
]
Operator = Annotated[Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR))]
Auditor = Annotated[Principal, Depends(require_roles(Role.AUDITOR, Role.PROVINCIAL_OPERATOR))]


# ------------------------------------------------------------------ catalog
class ProcedureView(BaseModel):
    code: str
    revision: str
    definition: dict[str, Any]


@router.get("/procedures", response_model=list[ProcedureView], summary="Danh mục thủ tục hành chính")
async def procedures(runtime: Runtime) -> list[ProcedureView]:
    async with runtime.transaction() as session:
        rows = await service.list_procedures(session)
    return [ProcedureView(code=p.code, revision=p.revision, definition=p.definition) for p in rows]


@router.post("/procedures/import", summary="Nhập danh mục thủ tục (JSON hoặc CSV của CSDL quốc gia)")
async def import_procedures(request: Request, runtime: Runtime, ctx: Ctx, actor: Operator) -> dict[str, int]:
    raw = (await request.body()).decode("utf-8")
    try:
        items = parse_csv(raw) if "csv" in request.headers.get("content-type", "") else parse_json(raw)
    except ValueError as exc:
        raise Problem(422, "catalog-invalid", "Danh mục không hợp lệ", str(exc)[:2000]) from exc
    async with runtime.transaction() as session:
        announced = await service.import_procedures(session, ctx, actor, items)
    return {"imported": len(items), "announced": announced}


# ------------------------------------------------------------------ internal processes
class ProcessView(BaseModel):
    id: int
    procedure_code: str
    agency_id: str
    version: int
    state: str
    definition: dict[str, Any]
    published_at: datetime | None


def _process_view(p: Process) -> ProcessView:
    assert p.id is not None
    return ProcessView(
        id=p.id,
        procedure_code=p.procedure_code,
        agency_id=p.agency_id,
        version=p.version,
        state=p.state,
        definition=p.definition,
        published_at=p.published_at,
    )


@router.get(
    "/procedures/{code}/processes/{agency_id}",
    response_model=list[ProcessView],
    summary="Các phiên bản quy trình nội bộ",
)
async def processes(code: str, agency_id: str, runtime: Runtime, actor: Officer) -> list[ProcessView]:
    async with runtime.transaction() as session:
        rows = await service.list_processes(session, code, agency_id)
    return [_process_view(p) for p in rows]


@router.post(
    "/procedures/{code}/processes/{agency_id}",
    response_model=ProcessView,
    status_code=201,
    summary="Tạo bản nháp quy trình nội bộ",
)
async def create_process(
    code: str, agency_id: str, definition: ProcessDefinition, runtime: Runtime, actor: ProcessAdmin
) -> ProcessView:
    async with runtime.transaction() as session:
        process = await service.create_process_draft(session, actor, code, agency_id, definition)
    return _process_view(process)


@router.post(
    "/processes/{process_id}/publish", response_model=ProcessView, summary="Công bố quy trình nội bộ"
)
async def publish_process(process_id: int, runtime: Runtime, ctx: Ctx, actor: ProcessAdmin) -> ProcessView:
    async with runtime.transaction() as session:
        process = await service.publish_process(session, ctx, actor, process_id)
    return _process_view(process)


# ------------------------------------------------------------------ dossiers
class StatusEntry(BaseModel):
    status: int
    status_name: str
    changed_at: datetime
    note: str | None
    action: str | None = None
    actor_name: str | None = None


class DossierLifecycle(BaseModel):
    code: str
    procedure_code: str
    agency_id: str
    status: int
    status_name: str
    version: int
    step_id: str | None
    received_at: datetime | None
    appointment_at: datetime | None
    supplement_count: int
    extension_used: bool
    timeliness: str | None
    allowed_actions: list[str]
    history: list[StatusEntry]


def _lifecycle(d: Dossier, history: list[Any], *, public: bool = False) -> DossierLifecycle:
    """`public`: the lookup by code anyone may do shows statuses and times, not notes or names."""
    return DossierLifecycle(
        code=d.code,
        procedure_code=d.procedure_code,
        agency_id=d.agency_id,
        status=d.status,
        status_name=status_name(d.status),
        version=d.version,
        step_id=d.step_id,
        received_at=d.received_at,
        appointment_at=d.appointment_at,
        supplement_count=d.supplement_count,
        extension_used=d.extension_used,
        timeliness=d.timeliness,
        allowed_actions=[a.value for a in allowed_actions(d.status)],
        history=[
            StatusEntry(
                status=h.status,
                status_name=status_name(h.status),
                changed_at=h.changed_at,
                note=None if public else h.note,
                action=h.action,
                actor_name=None if public else h.actor_name,
            )
            for h in history
        ],
    )


@router.get(
    "/dossiers/{code}",
    response_model=DossierLifecycle,
    summary="Tra cứu quá trình xử lý hồ sơ theo mã (công khai, không có dữ liệu cá nhân)",
)
async def dossier(code: str, runtime: Runtime) -> DossierLifecycle:
    async with runtime.transaction() as session:
        state = await service.dossier_state(session, code)
    return _lifecycle(state.dossier, state.history, public=True)


@router.post(
    "/dossiers/{code}/actions/{action}",
    response_model=DossierLifecycle,
    summary="Thực hiện một thao tác trên hồ sơ (tiếp nhận, chuyển bước, bổ sung, gia hạn, ...)",
)
async def act(
    code: str,
    action: Action,
    runtime: Runtime,
    ctx: Ctx,
    now: Now,
    actor: CurrentPrincipal,
    body: Annotated[service.ActionRequest | None, Body()] = None,
) -> DossierLifecycle:
    async with runtime.transaction() as session:
        dossier = await service.transition(
            session, ctx, code, action, actor, body or service.ActionRequest(), now
        )
        history = await service.dossier_state(session, dossier.code)
    return _lifecycle(history.dossier, history.history)


@router.get(
    "/dossiers/{code}/timeline", summary="Dòng thời gian và Phiếu kiểm soát quá trình giải quyết (Mẫu 06)"
)
async def timeline(
    code: str, runtime: Runtime, ctx: Ctx, now: Now, actor: CurrentPrincipal
) -> dict[str, Any]:
    async with runtime.transaction() as session:
        data = await service.timeline(session, ctx, code, actor, now)
    d: Dossier = data["dossier"]
    return {
        "lifecycle": _lifecycle(d, data["history"]).model_dump(mode="json"),
        "deadline": d.deadline,
        "clock": data["clock"],
        "timeliness_explanation": d.timeliness_explanation,
        "control_slip": data["steps"],
    }


@router.get("/my/dossiers", response_model=list[DossierLifecycle], summary="Hồ sơ của tôi (công dân)")
async def my_dossiers(
    runtime: Runtime, actor: CurrentPrincipal, limit: Annotated[int, Query(ge=1, le=100)] = 50
) -> list[DossierLifecycle]:
    async with runtime.transaction() as session:
        rows = await service.my_dossiers(session, actor, limit)
    return [_lifecycle(d, []) for d in rows]


@router.get(
    "/work-queue",
    summary="Hồ sơ cần xử lý: của tôi, của phòng, của cơ quan, liên thông từ cơ quan khác (theo hạn)",
)
async def work_queue(
    runtime: Runtime,
    ctx: Ctx,
    now: Now,
    actor: Officer,
    scope: Literal["mine", "department", "agency", "inter_agency"] = "mine",
    department: str | None = None,
    status: Annotated[int | None, Query(ge=1, le=10)] = None,
    procedure_code: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    async with runtime.transaction() as session:
        items, next_cursor = await service.work_queue(
            session,
            ctx,
            actor,
            scope=scope,
            department=department,
            status=status,
            procedure_code=procedure_code,
            cursor=cursor,
            limit=limit,
            now=now,
        )
    return {"items": items, "next_cursor": next_cursor}


# ------------------------------------------------------------------ audit
@router.get("/audit/verify", summary="Kiểm tra toàn vẹn chuỗi nhật ký (hash-chain)")
async def verify_audit(runtime: Runtime, actor: Auditor) -> dict[str, Any]:
    async with runtime.transaction() as session:
        verdict = await service.verify_audit(session)
    if verdict.ok:
        message = f"Chuỗi nhật ký toàn vẹn ({verdict.checked} bản ghi)."
    elif verdict.first_broken_seq is not None:
        message = f"Chuỗi nhật ký bị sửa đổi: bản ghi đầu tiên không khớp là số {verdict.first_broken_seq}."
    else:
        message = f"Đầu chuỗi đã ghi nhận tại bản ghi số {verdict.head_mismatch} không còn khớp."
    return {
        "ok": verdict.ok,
        "checked": verdict.checked,
        "first_broken_seq": verdict.first_broken_seq,
        "head_mismatch_seq": verdict.head_mismatch,
        "message": message,
    }
