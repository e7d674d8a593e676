"""Officers' work queues (keyset pages by due time) and the applicant's own dossiers."""

from __future__ import annotations

import base64
import json
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


async def work_queue(
    session: AsyncSession,
    ctx: Context,
    actor: Principal,
    *,
    scope: Scope,
    department: str | None,
    status: int | None,
    procedure_code: str | None,
    cursor: str | None,
    limit: int,
    now: datetime,
) -> tuple[list[QueueItem], str | None]:
    repo = WorkflowRepository(session)
    if scope == "department" and not department:
        raise errors.department_required()
    rows = await repo.queue(
        **_scope_filters(scope, actor, department),
        status=status,
        procedure_code=procedure_code,
        after=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    items = [_queue_item(ctx.calendar, d, now) for d in rows]
    next_cursor = encode_cursor(rows[-1].due_at or now, rows[-1].code) if more and rows else None
    return items, next_cursor


def _scope_filters(scope: Scope, actor: Principal, department: str | None) -> dict[str, str | None]:
    """Whose dossiers a scope shows: mine (assigned to me), my department's, my agency's, or those an
    inter-agency step or a transfer sent to my agency."""
    return {
        "agency_id": None if scope in ("mine", "inter_agency") else actor.agency_id,
        "assignee": actor.subject if scope == "mine" else None,
        "step_agency": actor.agency_id if scope == "inter_agency" else None,
        "department": department if scope == "department" else None,
    }


def _queue_item(calendar: Calendar, d: Dossier, now: datetime) -> QueueItem:
    due = d.due_at or now
    left = calendar.working_time_between(now, due)
    hours = calendar.hours.hours_per_working_day
    # Late as soon as the instant passed, even outside working hours (17:01 after a 17:00 deadline),
    # when no working time has passed since: red, the same instant the supervisor says overdue.
    on_time = now <= due
    late = calendar.working_time_between(due, now)
    return QueueItem(
        code=d.code,
        procedure_code=d.procedure_code,
        status=d.status,
        status_name=lc.status_name(d.status),
        step_id=d.step_id,
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
