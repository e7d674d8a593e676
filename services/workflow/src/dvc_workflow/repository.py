"""All of workflow's SQL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, text, tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import NationalStatus
from dvc_workflow.models import (
    Agency,
    Applicant,
    AuditEntry,
    AuditHead,
    Dossier,
    Officer,
    Procedure,
    Process,
    StatusHistory,
    StepLog,
)

AUDIT_CHAIN_LOCK = 0x1D7E03  # one writer at a time extends the chain (identity uses 0x1D7E02)


@dataclass(frozen=True)
class Deadline:
    """A deadline the supervisor watches: the time column, the flag set once notified, which dossiers."""

    column: str
    flag: str
    where: str


def _status_in(*statuses: NationalStatus) -> str:
    """SQL: the dossier is in one of `statuses` (an equality for one, as the partial indexes say it)."""
    if len(statuses) == 1:
        return f"status = {int(statuses[0])}"
    return f"status IN ({', '.join(str(int(s)) for s in statuses)})"


# While the applicant's financial obligation is awaited (status 6) the processing clock is paused
# (Điện Biên Điều 13.5): no due-soon or overdue warning about the appointment then.
_HANDLED = (NationalStatus.RECEIVED, NationalStatus.PROCESSING)
DESK_STATUSES = (NationalStatus.NEW, NationalStatus.SUPPLEMENT_REQUESTED, NationalStatus.RESOLVED)
"""Where a dossier is at the one-stop desk (a receiving desk sees another agency's dossiers then)."""
ONLINE = 2  # the submission channel (1 in person, 2 online, 3 postal)

INTAKE_DEADLINE = Deadline(
    "intake_due_at", "intake_overdue_sent", f"{_status_in(NationalStatus.NEW)} AND channel = {ONLINE}"
)
"""Online dossiers not received within 8 working hours."""
DUE_SOON = Deadline("due_soon_at", "due_soon_sent", f"in_queue AND {_status_in(*_HANDLED)}")
APPOINTMENT = Deadline(
    "appointment_at", "overdue_sent", f"in_queue AND {_status_in(*_HANDLED, NationalStatus.RESOLVED)}"
)
STEP_DEADLINE = Deadline(
    "step_due_at",
    "step_overdue_sent",
    f"in_queue AND {_status_in(NationalStatus.NEW, *_HANDLED, NationalStatus.FINANCIAL_OBLIGATION)}",
)


class WorkflowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def publish_procedure(
        self, code: str, definition: dict[str, Any], revision: str, at: datetime
    ) -> bool:
        """Insert or update a procedure; True only when its content changed (so it must be announced)."""
        result = await self.session.execute(
            text(
                "INSERT INTO workflow_procedure (code, definition, revision, published_at)"
                " VALUES (:c, CAST(:d AS json), :r, :t)"
                " ON CONFLICT (code) DO UPDATE SET definition = excluded.definition,"
                " revision = excluded.revision, published_at = excluded.published_at"
                " WHERE workflow_procedure.revision <> excluded.revision RETURNING code"
            ),
            {"c": code, "d": _json(definition), "r": revision, "t": at},
        )
        return result.scalar_one_or_none() is not None

    async def procedures(self) -> list[Procedure]:
        return list((await self.session.exec(select(Procedure).order_by(col(Procedure.code)))).all())

    async def procedure(self, code: str) -> Procedure | None:
        return await self.session.get(Procedure, code)

    async def processes(self, procedure_code: str, agency_id: str) -> list[Process]:
        rows = await self.session.exec(
            select(Process)
            .where(Process.procedure_code == procedure_code, Process.agency_id == agency_id)
            .order_by(col(Process.version))
        )
        return list(rows.all())

    async def process(self, process_id: int, *, lock: bool = False) -> Process | None:
        statement = select(Process).where(Process.id == process_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.exec(statement)).first()

    async def latest_published(self, procedure_code: str, agency_id: str) -> Process | None:
        rows = await self.session.exec(
            select(Process)
            .where(
                Process.procedure_code == procedure_code,
                Process.agency_id == agency_id,
                Process.state == "published",
            )
            .order_by(col(Process.version).desc())
            .limit(1)
        )
        return rows.first()

    async def supersede_published(
        self, procedure_code: str, agency_id: str, in_force_id: int, at: datetime
    ) -> list[int]:
        """Mark every other published version of the procedure and agency superseded; their ids."""
        result = await self.session.execute(
            text(
                "UPDATE workflow_process SET state = 'superseded', superseded_at = :t"
                " WHERE procedure_code = :p AND agency_id = :a AND state = 'published' AND id <> :id"
                " RETURNING id"
            ),
            {"p": procedure_code, "a": agency_id, "id": in_force_id, "t": at},
        )
        return [int(r) for r in result.scalars()]

    async def delete_process(self, process: Process) -> None:
        await self.session.delete(process)

    async def next_process_version(self, procedure_code: str, agency_id: str) -> int:
        # Serialise version numbering per procedure and agency.
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"process:{procedure_code}:{agency_id}"}
        )
        result = await self.session.execute(
            text(
                "SELECT coalesce(max(version), 0) + 1 FROM workflow_process"
                " WHERE procedure_code = :p AND agency_id = :a"
            ),
            {"p": procedure_code, "a": agency_id},
        )
        return int(result.scalar_one())

    async def add_process(self, process: Process) -> Process:
        self.session.add(process)
        await self.session.flush()
        return process

    async def open_dossier(self, dossier: Dossier) -> bool:
        """Create the dossier; False when it already exists."""
        result = await self.session.execute(
            text(
                "INSERT INTO workflow_dossier (code, procedure_code, agency_id, status, version, submitted_at,"
                " updated_at, channel, owner_subject, process_id, step_id, step_started_at, step_due_at,"
                " intake_due_at, due_at, in_queue, clock, receiving_agency_id) VALUES (:c, :p, :a, :s, 1, :t,"
                " :t, :ch, :o, :pid, :step, :t, :sdue, :idue, :due, true, CAST('[]' AS json), :recv)"
                " ON CONFLICT (code) DO NOTHING RETURNING code"
            ),
            {
                "c": dossier.code,
                "p": dossier.procedure_code,
                "a": dossier.agency_id,
                "s": dossier.status,
                "t": dossier.submitted_at,
                "ch": dossier.channel,
                "o": dossier.owner_subject,
                "pid": dossier.process_id,
                "step": dossier.step_id,
                "sdue": dossier.step_due_at,
                "idue": dossier.intake_due_at,
                "due": dossier.due_at,
                "recv": dossier.receiving_agency_id,
            },
        )
        return result.scalar_one_or_none() is not None

    async def dossier(self, code: str, *, lock: bool = False) -> Dossier | None:
        statement = select(Dossier).where(Dossier.code == code)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.exec(statement)).first()

    def add(self, row: Any) -> None:
        self.session.add(row)

    async def history(self, code: str) -> list[StatusHistory]:
        rows = await self.session.exec(
            select(StatusHistory).where(StatusHistory.dossier_code == code).order_by(col(StatusHistory.id))
        )
        return list(rows.all())

    async def open_step(self, code: str) -> StepLog | None:
        rows = await self.session.exec(
            select(StepLog)
            .where(StepLog.dossier_code == code, col(StepLog.handed_on_at).is_(None))
            .order_by(col(StepLog.id).desc())
            .limit(1)
        )
        return rows.first()

    async def step_log(self, code: str) -> list[StepLog]:
        rows = await self.session.exec(
            select(StepLog).where(StepLog.dossier_code == code).order_by(col(StepLog.id))
        )
        return list(rows.all())

    async def queue(
        self,
        *,
        agency_id: str | None,
        assignee: str | None,
        department: str | None,
        status: int | None,
        step_agency: str | None = None,
        procedure_code: str | None,
        after: tuple[datetime, str] | None,
        limit: int,
        due_before: datetime | None = None,
        due_after: datetime | None = None,
        supplement_arrived: bool | None = None,
        search: str | None = None,
    ) -> list[Dossier]:
        """One page of a work queue in (due_at, code) order; uses the partial queue indexes, no counts.
        `due_before`/`due_after` bound the due time (due soon, overdue); `supplement_arrived`: dossiers
        whose applicant uploaded the supplement (status 5 back in the queue); `search`: part of the code
        or of the applicant's name."""
        statement = select(Dossier).where(col(Dossier.in_queue))  # the partial indexes' predicate
        if assignee is not None:
            statement = statement.where(Dossier.assignee_subject == assignee)
        if agency_id is not None:
            # The agency's own dossiers, and those its one-stop desk receives for another agency while
            # they are at the desk (new, supplement uploaded, result to return).
            at_desk = col(Dossier.status).in_([int(s) for s in DESK_STATUSES])
            statement = statement.where(
                or_(
                    col(Dossier.agency_id) == agency_id,
                    and_(col(Dossier.receiving_agency_id) == agency_id, at_desk),
                )
            )
        if department is not None:
            statement = statement.where(Dossier.assignee_department == department)
        if step_agency is not None:
            statement = statement.where(
                Dossier.step_agency_id == step_agency, col(Dossier.step_agency_id).is_not(None)
            )
        if status is not None:
            statement = statement.where(Dossier.status == status)
        if procedure_code is not None:
            statement = statement.where(Dossier.procedure_code == procedure_code)
        if due_before is not None:
            statement = statement.where(col(Dossier.due_at) < due_before)
        if due_after is not None:
            statement = statement.where(col(Dossier.due_at) >= due_after)
        if supplement_arrived is not None:
            five = int(NationalStatus.SUPPLEMENT_REQUESTED)
            statement = statement.where(
                col(Dossier.status) == five if supplement_arrived else col(Dossier.status) != five
            )
        if search:
            pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            named = select(Applicant.dossier_code).where(col(Applicant.name).ilike(pattern))
            statement = statement.where(col(Dossier.code).ilike(pattern) | col(Dossier.code).in_(named))
        if after is not None:
            statement = statement.where(tuple_(col(Dossier.due_at), col(Dossier.code)) > tuple_(*after))
        statement = statement.order_by(col(Dossier.due_at), col(Dossier.code)).limit(limit)
        return list((await self.session.exec(statement)).all())

    async def procedures_named(self, codes: Sequence[str]) -> dict[str, Procedure]:
        rows = await self.session.exec(select(Procedure).where(col(Procedure.code).in_(codes)))
        return {p.code: p for p in rows.all()}

    async def processes_by_id(self, ids: Sequence[int]) -> dict[int, Process]:
        rows = await self.session.exec(select(Process).where(col(Process.id).in_(ids)))
        return {p.id: p for p in rows.all() if p.id is not None}

    async def owned(self, subject: str, limit: int) -> list[Dossier]:
        rows = await self.session.exec(
            select(Dossier)
            .where(Dossier.owner_subject == subject)
            .order_by(col(Dossier.submitted_at).desc())
            .limit(limit)
        )
        return list(rows.all())

    async def claim_deadlines(self, deadline: Deadline, now: datetime, limit: int) -> list[Dossier]:
        """Mark up to `limit` dossiers whose `deadline` passed as notified and return them (one statement,
        so a dossier is claimed once even if two replicas ever ran the pass together)."""
        flag, column, extra = deadline.flag, deadline.column, deadline.where
        result = await self.session.execute(
            text(
                f"UPDATE workflow_dossier SET {flag} = true WHERE code IN ("
                f" SELECT code FROM workflow_dossier WHERE {extra} AND NOT {flag} AND {column} <= :now"
                f" ORDER BY {column} LIMIT :n FOR UPDATE SKIP LOCKED)"
                " RETURNING code, procedure_code, agency_id, step_id, appointment_at, " + column + " AS due"
            ),
            {"now": now, "n": limit},
        )
        return [
            Dossier(
                code=r.code,
                procedure_code=r.procedure_code,
                agency_id=r.agency_id,
                status=0,
                step_id=r.step_id,
                due_at=r.due,
                appointment_at=r.appointment_at,
                submitted_at=now,
                updated_at=now,
            )
            for r in result
        ]

    async def last_link(self) -> AuditEntry | None:
        """The chain's last entry, under the lock that serialises appenders (dvc_common.audit.ChainStore)."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_CHAIN_LOCK})
        rows = await self.session.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(1))
        return rows.first()

    async def links_after(self, after: int, limit: int) -> Sequence[AuditEntry]:
        rows = await self.session.exec(
            select(AuditEntry).where(col(AuditEntry.seq) > after).order_by(col(AuditEntry.seq)).limit(limit)
        )
        return rows.all()

    async def record_head(self, at: datetime) -> AuditHead | None:
        last = await self.last_link()
        if last is None:
            return None
        head = AuditHead(seq=last.seq, hash=last.hash, recorded_at=at)
        self.session.add(head)
        return head

    async def heads(self) -> Sequence[AuditHead]:
        return (await self.session.exec(select(AuditHead).order_by(col(AuditHead.id)))).all()

    # ------------------------------------------------------------ the forms (Mẫu 06, Mẫu 07)

    async def agency(self, agency_id: str) -> Agency | None:
        return await self.session.get(Agency, agency_id)

    async def upsert_agency(self, agency: Agency) -> None:
        await self.session.merge(agency)

    async def officer(self, officer_id: str) -> Officer | None:
        return await self.session.get(Officer, officer_id)

    async def upsert_officer(self, officer: Officer) -> bool:
        """Insert or update the officer unless a newer version is stored (events may arrive out of order)."""
        result = await self.session.execute(
            text(
                "INSERT INTO workflow_officer (id, agency_id, name, position, roles, department,"
                " department_name, active, updated_at) VALUES (:id, :a, :n, :p, CAST(:r AS json), :d, :dn,"
                " :act, :t) ON CONFLICT (id) DO UPDATE SET agency_id = excluded.agency_id,"
                " name = excluded.name, position = excluded.position, roles = excluded.roles,"
                " department = excluded.department, department_name = excluded.department_name,"
                " active = excluded.active, updated_at = excluded.updated_at"
                " WHERE workflow_officer.updated_at <= excluded.updated_at RETURNING id"
            ),
            {
                "id": officer.id,
                "a": officer.agency_id,
                "n": officer.name,
                "p": officer.position,
                "r": json.dumps(officer.roles),
                "d": officer.department,
                "dn": officer.department_name,
                "act": officer.active,
                "t": officer.updated_at,
            },
        )
        return result.scalar_one_or_none() is not None

    async def lock_officer(self, officer_id: str, at: datetime) -> None:
        await self.session.execute(
            text(
                "UPDATE workflow_officer SET active = false, updated_at = :t"
                " WHERE id = :id AND updated_at <= :t"
            ),
            {"id": officer_id, "t": at},
        )

    async def departments(self, agency_id: str) -> dict[str, str]:
        """The agency's departments its officers belong to: code → name."""
        result = await self.session.execute(
            text(
                "SELECT DISTINCT department, department_name FROM workflow_officer"
                " WHERE agency_id = :a AND department IS NOT NULL"
            ),
            {"a": agency_id},
        )
        return {r.department: r.department_name or r.department for r in result}

    async def upsert_applicant(self, applicant: Applicant) -> None:
        await self.session.merge(applicant)

    async def applicants(self, codes: Sequence[str]) -> dict[str, Applicant]:
        rows = await self.session.exec(select(Applicant).where(col(Applicant.dossier_code).in_(codes)))
        return {a.dossier_code: a for a in rows.all()}

    async def received_between(
        self, agency_id: str, start: datetime, end: datetime, limit: int
    ) -> list[Dossier]:
        """The dossiers `agency_id` received in [start, end), in the order they were received: by the
        officer's receipt as it happened (the dossier's received_at is the counting start, the next
        working day for a receipt after 15:00, which must not move it out of the day's register)."""
        receipt = (
            select(func.min(StatusHistory.changed_at))
            .where(StatusHistory.dossier_code == Dossier.code)
            .where(StatusHistory.status == int(NationalStatus.RECEIVED))
            .correlate(Dossier)
            .scalar_subquery()
        )
        at = func.coalesce(receipt, col(Dossier.received_at))
        rows = await self.session.exec(
            select(Dossier)
            .where(Dossier.agency_id == agency_id, at >= start, at < end)
            .order_by(at, col(Dossier.code))
            .limit(limit)
        )
        return list(rows.all())

    async def first_hand_ons(self, codes: Sequence[str]) -> dict[str, datetime]:
        """When each dossier left its first step (the one-stop unit handed it to the processing one)."""
        result = await self.session.execute(
            text(
                "SELECT DISTINCT ON (dossier_code) dossier_code, handed_on_at FROM workflow_step_log"
                " WHERE dossier_code = ANY(:codes) AND handed_on_at IS NOT NULL ORDER BY dossier_code, id"
            ),
            {"codes": list(codes)},
        )
        return {r.dossier_code: r.handed_on_at for r in result}

    async def reached(self, codes: Sequence[str], status: NationalStatus) -> dict[str, datetime]:
        """When each dossier first reached `status` (e.g. 10: result returned)."""
        result = await self.session.execute(
            text(
                "SELECT dossier_code, min(changed_at) AS at FROM workflow_status_history"
                " WHERE dossier_code = ANY(:codes) AND status = :s GROUP BY dossier_code"
            ),
            {"codes": list(codes), "s": int(status)},
        )
        return {r.dossier_code: r.at for r in result}


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)
