"""Officers' work queues (keyset pages by due time) and the applicant's own dossiers."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.principal import Principal
from dvc_common.worktime import Calendar, fmt_instant, fmt_working_duration
from dvc_workflow import errors
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.models import Dossier
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.schemas import QueueItem
from dvc_workflow.service.context import Context


def encode_cursor(due_at: datetime, code: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([due_at.isoformat(), code]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        due, code = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(due), str(code)
    except (ValueError, TypeError) as exc:
        raise errors.bad_cursor() from exc


Scope = Literal["mine", "department", "agency", "inter_agency"]


Due = Literal["soon", "overdue"]
SUPPLEMENT_ARRIVED = "Đã nộp bổ sung, chờ tiếp nhận lại"
SOON = timedelta(hours=8)  # due within one working day


@dataclass(frozen=True)
class QueueFilter:
    """What the officer narrows the queue to."""

    status: int | None = None
    procedure_code: str | None = None
    due: Due | None = None
    supplement_arrived: bool | None = None
    search: str | None = None


async def work_queue(
    session: AsyncSession,
    ctx: Context,
    actor: Principal,
    *,
    scope: Scope,
    department: str | None,
    filters: QueueFilter,
    cursor: str | None,
    limit: int,
    now: datetime,
) -> tuple[list[QueueItem], str | None]:
    repo = WorkflowRepository(session)
    if scope == "department" and not department:
        raise errors.department_required()
    due_before = due_after = None
    if filters.due == "overdue":
        due_before = now
    elif filters.due == "soon":
        due_after, due_before = now, ctx.calendar.add_working_time(now, SOON)
    rows = await repo.queue(
        **_scope_filters(scope, actor, department),
        status=filters.status,
        procedure_code=filters.procedure_code,
        due_before=due_before,
        due_after=due_after,
        supplement_arrived=filters.supplement_arrived,
        search=filters.search.strip() if filters.search and filters.search.strip() else None,
        after=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    names = await _names(repo, rows)
    items = [_queue_item(ctx.calendar, d, now, names) for d in rows]
    next_cursor = encode_cursor(rows[-1].due_at or now, rows[-1].code) if more and rows else None
    return items, next_cursor


@dataclass(frozen=True)
class _Names:
    procedures: dict[str, str]
    applicants: dict[str, str]
    steps: dict[tuple[int, str], str]


async def _names(repo: WorkflowRepository, rows: list[Dossier]) -> _Names:
    """The names a queue line shows (procedure, applicant, step), fetched once for the page."""
    procedures = await repo.procedures_named(sorted({d.procedure_code for d in rows}))
    applicants = await repo.applicants([d.code for d in rows])
    processes = await repo.processes_by_id(sorted({d.process_id for d in rows if d.process_id is not None}))
    steps = {
        (pid, step["id"]): step["name"]
        for pid, process in processes.items()
        for step in process.definition.get("steps", [])
    }
    return _Names(
        procedures={code: str(p.definition.get("name", "")) for code, p in procedures.items()},
        applicants={code: a.name for code, a in applicants.items()},
        steps=steps,
    )


def _scope_filters(scope: Scope, actor: Principal, department: str | None) -> dict[str, str | None]:
    """Whose dossiers a scope shows: mine (assigned to me), my department's, my agency's, or those an
    inter-agency step or a transfer sent to my agency."""
    return {
        "agency_id": None if scope in ("mine", "inter_agency") else actor.agency_id,
        "assignee": actor.subject if scope == "mine" else None,
        "step_agency": actor.agency_id if scope == "inter_agency" else None,
        "department": department if scope == "department" else None,
    }


def _queue_item(calendar: Calendar, d: Dossier, now: datetime, names: _Names) -> QueueItem:
    due = d.due_at or now
    left = calendar.working_time_between(now, due)
    hours = calendar.hours.hours_per_working_day
    # Late as soon as the instant passed, even outside working hours (17:01 after a 17:00 deadline),
    # when no working time has passed since: red, the same instant the supervisor says overdue.
    on_time = now <= due
    late = calendar.working_time_between(due, now)
    arrived = d.status == lc.SUPPLEMENT_REQUESTED  # in a queue only once the supplement was uploaded
    return QueueItem(
        code=d.code,
        procedure_code=d.procedure_code,
        procedure_name=names.procedures.get(d.procedure_code),
        applicant_name=names.applicants.get(d.code),
        status=d.status,
        status_name=lc.status_name(d.status),
        queue_label=SUPPLEMENT_ARRIVED if arrived else lc.status_name(d.status),
        supplement_arrived=arrived,
        step_id=d.step_id,
        step_name=names.steps.get((d.process_id, d.step_id)) if d.process_id and d.step_id else None,
        assignee_name=d.assignee_name,
        department=d.assignee_department,
        due_at=due,
        appointment_at=d.appointment_at,
        color="green" if on_time else "red",
        time_left_text=f"còn {fmt_working_duration(left, hours)}"
        if on_time
        else (
            f"quá {fmt_working_duration(late, hours)}"
            if late > timedelta(0)
            else f"quá hạn từ {fmt_instant(calendar.local(due))}"
        ),
        time_left_seconds=int(left.total_seconds()),
        intake_overdue=d.status == lc.NEWLY_REGISTERED
        and d.intake_due_at is not None
        and now > d.intake_due_at,
        version=d.version,
    )


async def my_dossiers(session: AsyncSession, actor: Principal, limit: int) -> list[Dossier]:
    return await WorkflowRepository(session).owned(actor.subject, limit)
