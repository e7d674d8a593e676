"""Officers' work queues (keyset pages by due time) and the applicant's own dossiers."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.auth import Principal
from dvc_common.worktime import fmt_working_duration
from dvc_workflow import errors
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.models import Dossier
from dvc_workflow.repository import WorkflowRepository
from dvc_workflow.service.context import Context


def encode_cursor(due_at: datetime, code: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([due_at.isoformat(), code]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        due, code = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(due), str(code)
    except (ValueError, TypeError) as exc:
        raise errors.bad_cursor() from exc


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
        raise errors.department_required()
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
