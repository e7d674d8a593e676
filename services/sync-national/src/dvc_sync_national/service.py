"""Sync-national use-cases: keep local copies from events, log every status change, send the log to
the national portal in order, fetch dossiers submitted there. They never commit: the boundary does.
"""

from __future__ import annotations

import contextlib
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opentelemetry import context as otel_context
from opentelemetry import propagate
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    NATIONAL_DOSSIER_RECEIVED,
    NATIONAL_STATUS_NAMES,
    CloudEvent,
    DossierContactRegistered,
    DossierStatusChanged,
    DossierSubmitted,
    NationalDossierReceived,
    NationalFile,
    ProcedurePublished,
)
from dvc_common.outbox import Outbox, current_traceparent
from dvc_sync_national.domain.ordering import plan
from dvc_sync_national.domain.portal_record import (
    DossierFacts,
    Milestones,
    StatusChange,
    StepFacts,
    dossier_record,
    step_record,
)
from dvc_sync_national.models import Change, Dossier, InboundDossier, Procedure
from dvc_sync_national.portal import PortalAnswer, PortalClient, PortalUnavailable
from dvc_sync_national.repository import SyncRepository

log = logging.getLogger(__name__)

INBOUND_LEASE = 0x5F1C0001


def _now() -> datetime:
    return datetime.now(UTC)


def _make_due(dossier: Dossier, now: datetime) -> None:
    if dossier.pending > 0 and dossier.next_attempt_at is None:
        dossier.next_attempt_at = now


# Local copies and the change log --------------------------------------------------------------


async def record_procedure(session: AsyncSession, event: CloudEvent) -> None:
    published = ProcedurePublished.model_validate(event.data)
    repo = SyncRepository(session)
    await repo.save_procedure(
        Procedure(
            code=published.code,
            name=published.name,
            field_name=published.field_name,
            agency_name=published.agency_name,
        )
    )
    await repo.wake_for_procedure(published.code, _now())


async def record_submission(session: AsyncSession, event: CloudEvent) -> None:
    submitted = DossierSubmitted.model_validate(event.data)
    dossier = await SyncRepository(session).dossier_for_update(submitted.code)
    dossier.procedure_code = submitted.procedure_code
    dossier.agency_id = submitted.agency_id
    dossier.channel = submitted.channel
    dossier.applicant_kind = submitted.applicant_kind
    dossier.submitted_at = submitted.submitted_at
    dossier.files = [f.name for f in submitted.files]
    dossier.national_reference = submitted.national_reference
    _make_due(dossier, _now())


async def record_contact(session: AsyncSession, event: CloudEvent) -> None:
    contact = DossierContactRegistered.model_validate(event.data)
    dossier = await SyncRepository(session).dossier_for_update(contact.code)
    dossier.applicant_name = contact.applicant_name
    dossier.phone = contact.phone
    _make_due(dossier, _now())


async def record_status(session: AsyncSession, event: CloudEvent) -> None:
    """Log the change durably; the dispatcher sends it when every earlier change has been sent."""
    changed = DossierStatusChanged.model_validate(event.data)
    repo = SyncRepository(session)
    dossier = await repo.dossier_for_update(changed.code)
    now = _now()
    fresh = await repo.add_change(
        {
            "event_id": event.id,
            "dossier_code": changed.code,
            "sequence": event.sequence,
            "status": changed.status,
            "previous_status": changed.previous_status,
            "changed_at": changed.changed_at,
            "data": event.data,
            "traceparent": current_traceparent(),
            "state": "pending",
            "record_sent": False,
            "step_sent": False,
            "recorded_at": now,
        }
    )
    if not fresh:
        log.info("status change already recorded", extra={"code": changed.code, "sequence": event.sequence})
        return
    dossier.procedure_code = dossier.procedure_code or changed.procedure_code
    dossier.agency_id = dossier.agency_id or changed.agency_id
    if event.sequence > dossier.latest_sequence:
        dossier.latest_sequence = event.sequence
        dossier.latest_status = changed.status
    dossier.pending += 1
    _make_due(dossier, now)
    log.info(
        "status change recorded for the national portal",
        extra={"code": changed.code, "status": changed.status, "sequence": event.sequence},
    )


# Sending the log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backoff:
    base_seconds: float = 1.0
    max_seconds: float = 60.0

    def delay(self, failures: int) -> timedelta:
        return timedelta(seconds=min(self.base_seconds * 2 ** max(failures - 1, 0), self.max_seconds))


@dataclass
class Item:
    """One change on its way: its dossier record and its processing step, each sent at most once."""

    dossier: Dossier
    change: Change
    record: dict[str, Any] | None
    step: dict[str, Any] | None
    milestones: Milestones
    create: bool = False


@dataclass
class Round:
    claimed: int = 0
    synced: int = 0
    failed: set[str] = field(default_factory=set)
    unavailable: bool = False
    attempts: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def attempt(self, item: Item, kind: str, answer: PortalAnswer, outcome: str | None = None) -> None:
        self.attempts.append(
            {
                "dossier_code": item.dossier.code,
                "change_id": item.change.id,
                "status": item.change.status,
                "kind": kind,
                "outcome": outcome or ("ok" if answer.ok else "rejected"),
                "error_code": answer.error_code,
                "message": answer.message[:1000],
                "attempted_at": _now(),
            }
        )


def _facts(dossier: Dossier, procedure: Procedure | None) -> DossierFacts | None:
    if procedure is None or dossier.applicant_name is None or dossier.submitted_at is None:
        return None
    return DossierFacts(
        code=dossier.code,
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        field_name=procedure.field_name,
        agency_name=procedure.agency_name,
        channel=dossier.channel or 2,
        applicant_kind=dossier.applicant_kind or 1,
        applicant_name=dossier.applicant_name,
        phone=dossier.phone,
        submitted_at=dossier.submitted_at,
        files=tuple(dossier.files or ()),
        national_reference=dossier.national_reference,
    )


def status_change(change: Change) -> StatusChange:
    event = DossierStatusChanged.model_validate(change.data)
    step = event.step
    return StatusChange(
        status=event.status,
        previous_status=event.previous_status,
        changed_at=event.changed_at,
        received_at=event.received_at,
        appointment_at=event.appointment_at,
        note=event.note,
        step=StepFacts(
            officer_name=step.officer_name,
            content=step.content,
            officer_position=step.officer_position,
            department=step.department,
            started_at=step.started_at,
            due_at=step.due_at,
        )
        if step
        else None,
    )


def _milestones(dossier: Dossier) -> Milestones:
    return Milestones(dossier.received_at, dossier.appointment_at, dossier.finished_at, dossier.returned_at)


@contextlib.contextmanager
def _in_trace(change: Change) -> Iterator[None]:
    """Log inside the trace of the event that caused the change (one trace, submission to portal)."""
    token = otel_context.attach(propagate.extract({"traceparent": change.traceparent or ""}))
    try:
        yield
    finally:
        otel_context.detach(token)


def _chunks(items: list[Item], size: int) -> Iterator[list[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _send(
    items: list[Item], kind: str, portal: PortalClient, batch: int, result: Round, on_ok: Any
) -> None:
    """Send `items` (ordered per dossier) in batches; a rejected batch is retried dossier by dossier,
    record by record, so one bad dossier stops only itself. Raises PortalUnavailable."""
    for chunk in _chunks(items, batch):
        chunk = [i for i in chunk if i.dossier.code not in result.failed]
        if not chunk:
            continue
        payload = [i.record if kind != "step" else i.step for i in chunk]
        answer = await _call(portal, kind, payload)  # type: ignore[arg-type]
        if answer.ok:
            for item in chunk:
                result.attempt(item, kind, answer)
                await on_ok(item)
            continue
        for item in chunk:  # isolate the culprit(s)
            if item.dossier.code in result.failed:
                continue
            one = (
                answer
                if len(chunk) == 1
                else await _call(portal, kind, [item.record if kind != "step" else item.step])  # type: ignore[list-item]
            )
            if kind == "create" and one.duplicate:
                # The portal already has it (an earlier create whose answer was lost): update instead.
                result.attempt(item, kind, one, "duplicate")
                one = await _call(portal, "update", [item.record])  # type: ignore[list-item]
                result.attempt(item, "update", one)
            else:
                result.attempt(item, kind, one)
            if one.ok:
                await on_ok(item)
            else:
                result.failed.add(item.dossier.code)
                result.errors[item.dossier.code] = f"{kind}: mã lỗi {one.error_code}: {one.message}"


async def _call(portal: PortalClient, kind: str, payload: list[dict[str, Any]]) -> PortalAnswer:
    if kind == "create":
        return await portal.create(payload)
    if kind == "update":
        return await portal.update(payload)
    return await portal.steps(payload)


async def sync_due(
    session: AsyncSession,
    portal: PortalClient,
    tz: ZoneInfo,
    *,
    limit: int = 200,
    per_dossier: int = 50,
    batch: int = 200,
    backoff: Backoff = Backoff(),
) -> Round:
    """One round of the dispatcher: claim due dossiers, send their next changes in order."""
    repo = SyncRepository(session)
    now = _now()
    result = Round()
    dossiers = await repo.claim_due(now, limit)
    result.claimed = len(dossiers)
    if not dossiers:
        return result
    by_code: dict[str, list[Change]] = defaultdict(list)
    for change in await repo.pending_changes([d.code for d in dossiers]):
        by_code[change.dossier_code].append(change)
    procedures = await repo.procedures([d.procedure_code for d in dossiers if d.procedure_code])
    remaining: dict[str, int] = {}
    creates: list[Item] = []
    records: list[Item] = []
    steps: list[Item] = []
    for dossier in dossiers:
        pending = by_code.get(dossier.code, [])
        remaining[dossier.code] = len(pending)
        facts = _facts(dossier, procedures.get(dossier.procedure_code or ""))
        if facts is None:
            dossier.blocked = "missing_facts"
            continue
        # Steps whose record went through earlier but which were not accepted themselves go first.
        for change in pending:
            if change.record_sent and not change.step_sent:
                step = step_record(facts, status_change(change), NATIONAL_STATUS_NAMES[change.status], tz)
                steps.append(Item(dossier, change, None, step, _milestones(dossier)))
        unsent = [c for c in pending if not c.record_sent]
        decided = plan(
            dossier.synced_status,
            dossier.synced_sequence,
            unsent,
            limit=per_dossier,
            force=dossier.force_next,
        )
        for change in decided.stale:
            change.state = "stale"
            remaining[dossier.code] -= 1
            log.warning(
                "stale status change not sent (the portal already has a later one)",
                extra={"code": dossier.code, "status": change.status, "sequence": change.sequence},
            )
        dossier.blocked = "waiting_earlier" if decided.blocked else None
        milestones = _milestones(dossier)
        for position, change in enumerate(decided.send):
            facts_change = status_change(change)
            milestones = milestones.advance(facts_change)
            name = NATIONAL_STATUS_NAMES[change.status]
            item = Item(
                dossier,
                change,
                dossier_record(facts, change.status, milestones, tz),
                step_record(facts, facts_change, name, tz),
                milestones,
                create=position == 0 and not dossier.on_portal,
            )
            (creates if item.create else records).append(item)
            if item.step is not None:
                steps.append(item)

    async def record_sent(item: Item) -> None:
        change, dossier = item.change, item.dossier
        change.record_sent = True
        dossier.on_portal = True
        dossier.synced_status = change.status
        dossier.synced_sequence = change.sequence
        dossier.synced_at = _now()
        m = item.milestones
        dossier.received_at, dossier.appointment_at = m.received_at, m.appointment_at
        dossier.finished_at, dossier.returned_at = m.finished_at, m.returned_at
        if item.step is None:
            await done(item)

    async def step_sent(item: Item) -> None:
        item.change.step_sent = True
        await done(item)

    async def done(item: Item) -> None:
        item.change.state = "synced"
        item.change.synced_at = _now()
        remaining[item.dossier.code] -= 1
        result.synced += 1
        with _in_trace(item.change):
            log.info(
                "status synced to national portal",
                extra={"code": item.dossier.code, "status": item.change.status},
            )

    try:
        await _send(creates, "create", portal, batch, result, record_sent)
        await _send(records, "update", portal, batch, result, record_sent)
        steps = [i for i in steps if i.change.record_sent]
        steps.sort(key=lambda i: (i.dossier.code, i.change.sequence))
        await _send(steps, "step", portal, batch, result, step_sent)
    except PortalUnavailable as exc:
        result.unavailable = True
        for dossier in dossiers:
            if remaining[dossier.code] > 0 and dossier.code not in result.failed:
                result.errors[dossier.code] = f"Cổng không phục vụ: {exc}"
                result.attempts.append(
                    {
                        "dossier_code": dossier.code,
                        "change_id": None,
                        "status": None,
                        "kind": "send",
                        "outcome": "unavailable",
                        "error_code": None,
                        "message": str(exc)[:1000],
                        "attempted_at": _now(),
                    }
                )
    _settle(dossiers, remaining, result, backoff, now)
    await repo.add_attempts(result.attempts)
    return result


def _settle(
    dossiers: list[Dossier], remaining: dict[str, int], result: Round, backoff: Backoff, now: datetime
) -> None:
    """Where each claimed dossier stands after the round, and when to look at it again."""
    for dossier in dossiers:
        dossier.pending = remaining[dossier.code]
        dossier.last_attempt_at = now
        error = result.errors.get(dossier.code)
        if error is not None:
            dossier.failures += 1
            dossier.last_error = error
            dossier.blocked = "unavailable" if dossier.code not in result.failed else "rejected"
            dossier.next_attempt_at = now + backoff.delay(dossier.failures)
            log.warning(
                "national portal sync failed; retrying later",
                extra={"code": dossier.code, "failures": dossier.failures, "error": error},
            )
            continue
        dossier.failures = 0
        dossier.last_error = None
        dossier.force_next = False
        if dossier.pending == 0 or dossier.blocked in ("waiting_earlier", "missing_facts"):
            dossier.next_attempt_at = None
            if dossier.pending == 0:
                dossier.blocked = None
        else:
            dossier.next_attempt_at = now  # more than one round's worth: keep going


async def wake_after_outage(session: AsyncSession) -> int:
    return await SyncRepository(session).wake_after_outage(_now())


# Inbound: dossiers submitted on the national portal ---------------------------------------------


def national_dossier(item: dict[str, Any]) -> NationalDossierReceived:
    """The portal's submission (national field names) as our internal event payload."""
    return NationalDossierReceived(
        national_reference=str(item["MaHoSoQG"]),
        procedure_code=str(item["MaTTHC"]),
        applicant_name=str(item["ChuHoSo"]),
        applicant_kind=int(item.get("LoaiDoiTuong") or 1),
        identity_number=item.get("SoGiayTo") or None,
        email=item.get("Email") or None,
        phone=item.get("SoDienThoai") or None,
        summary=item.get("TrichYeuHoSo") or None,
        submitted_at=datetime.strptime(str(item["NgayNopHoSo"]), "%Y%m%d%H%M%S").replace(
            tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
        ),
        files=[
            NationalFile(
                name=str(f["TenTepDinhKem"]),
                content_type=str(f.get("LoaiTep") or "application/pdf"),
                size=int(f.get("KichThuoc") or 0),
                sha256=str(f.get("MaBam") or ""),
                url=str(f.get("DuongDan") or ""),
            )
            for f in item.get("TaiLieuNop") or []
        ],
    )


async def fetch_inbound(
    session: AsyncSession, outbox: Outbox, portal: PortalClient, *, limit: int = 100
) -> int:
    """Fetch new national submissions and hand each to intake once (event and cursor commit together)."""
    repo = SyncRepository(session)
    if not await repo.lease(INBOUND_LEASE):
        return 0
    cursor = await repo.inbound_cursor()
    handed = 0
    for item in await portal.inbound(cursor, limit):
        try:
            payload = national_dossier(item)
        except (KeyError, ValueError, ValidationError) as exc:
            log.error(
                "national submission unreadable; skipped", extra={"item": str(item)[:500], "error": str(exc)}
            )
            payload = None
        fresh = await repo.add_inbound(
            InboundDossier(
                national_reference=str(item.get("MaHoSoQG", f"cursor-{item['cursor']}")),
                portal_cursor=int(item["cursor"]),
                procedure_code=str(item.get("MaTTHC", ""))[:64],
                fetched_at=_now(),
            )
        )
        if fresh and payload is not None:
            await outbox.add(session, NATIONAL_DOSSIER_RECEIVED, payload, subject=payload.national_reference)
            handed += 1
            log.info(
                "national dossier handed to intake", extra={"national_reference": payload.national_reference}
            )
    return handed


# Operator views: backlog, failures, one dossier, resend, reconciliation --------------------------


def _dossier_summary(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "agency_id": dossier.agency_id,
        "latest_status": dossier.latest_status,
        "latest_status_name": NATIONAL_STATUS_NAMES.get(dossier.latest_status or 0),
        "synced_status": dossier.synced_status,
        "synced_status_name": NATIONAL_STATUS_NAMES.get(dossier.synced_status or 0),
        "synced_at": dossier.synced_at,
        "pending_changes": dossier.pending,
        "blocked": dossier.blocked,
        "failures": dossier.failures,
        "last_error": dossier.last_error,
        "last_attempt_at": dossier.last_attempt_at,
        "next_attempt_at": dossier.next_attempt_at,
    }


async def backlog_view(session: AsyncSession) -> dict[str, Any]:
    return await SyncRepository(session).backlog()


async def failures_view(session: AsyncSession, limit: int) -> list[dict[str, Any]]:
    return [_dossier_summary(d) for d in await SyncRepository(session).failing(limit)]


def _not_found(code: str) -> Exception:
    from dvc_common.problems import Problem

    return Problem(
        404,
        "dossier-not-synced",
        "Không tìm thấy hồ sơ",
        f"Dịch vụ đồng bộ chưa ghi nhận hồ sơ «{code}».",
    )


async def dossier_view(session: AsyncSession, code: str, attempts: int = 50) -> dict[str, Any]:
    repo = SyncRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise _not_found(code)
    return {
        **_dossier_summary(dossier),
        "changes": [
            {
                "sequence": c.sequence,
                "status": c.status,
                "previous_status": c.previous_status,
                "changed_at": c.changed_at,
                "state": c.state,
                "synced_at": c.synced_at,
            }
            for c in await repo.changes(code)
        ],
        "attempts": [
            {
                "at": a.attempted_at,
                "kind": a.kind,
                "status": a.status,
                "outcome": a.outcome,
                "error_code": a.error_code,
                "message": a.message,
            }
            for a in await repo.attempts(code, attempts)
        ],
    }


async def resend(session: AsyncSession, portal: PortalClient, tz: ZoneInfo, code: str) -> dict[str, Any]:
    """Pending changes are sent at once (even past a lost earlier change); with nothing pending, the
    portal gets our current record again."""
    repo = SyncRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise _not_found(code)
    dossier = await repo.dossier_for_update(code)
    now = _now()
    if dossier.pending > 0:
        dossier.next_attempt_at = now
        dossier.failures = 0
        dossier.force_next = True
        return {"code": code, "action": "queued", "pending_changes": dossier.pending}
    procedures = await repo.procedures([dossier.procedure_code or ""])
    facts = _facts(dossier, procedures.get(dossier.procedure_code or ""))
    if facts is None or dossier.synced_status is None:
        return {"code": code, "action": "nothing_to_send", "pending_changes": 0}
    record = dossier_record(facts, dossier.synced_status, _milestones(dossier), tz)
    answer = await (portal.update([record]) if dossier.on_portal else portal.create([record]))
    if answer.duplicate:
        answer = await portal.update([record])
    await repo.add_attempts(
        [
            {
                "dossier_code": code,
                "change_id": None,
                "status": dossier.synced_status,
                "kind": "resend",
                "outcome": "ok" if answer.ok else "rejected",
                "error_code": answer.error_code,
                "message": answer.message[:1000],
                "attempted_at": now,
            }
        ]
    )
    if answer.ok:
        dossier.on_portal = True
        dossier.synced_at = now
    return {"code": code, "action": "resent", "error_code": answer.error_code, "message": answer.message}


async def reconcile(
    session: AsyncSession, portal: PortalClient, *, agency_id: str | None = None, page: int = 500
) -> dict[str, Any]:
    """Compare the portal's view with ours. The national evaluation counts the share of dossiers whose
    status the portal shows as ours (domain-rules §10), so that share is reported first."""
    repo = SyncRepository(session)
    total = in_sync = 0
    differences: list[dict[str, Any]] = []
    counts: dict[str, int] = defaultdict(int)
    after = ""
    while True:
        batch = await repo.dossiers_after(after, page)
        if not batch:
            break
        after = batch[-1].code
        mine = [d for d in batch if agency_id is None or d.agency_id == agency_id]
        if not mine:
            continue
        theirs = await portal.query([d.code for d in mine])
        for dossier in mine:
            total += 1
            found = theirs.get(dossier.code)
            portal_status = int(found["TrangThaiHoSo"]) if found else None
            if portal_status == dossier.latest_status:
                in_sync += 1
                continue
            kind = "missing_on_portal" if found is None else "status_differs"
            reason = "in_backlog" if dossier.pending > 0 else "drift"
            counts[f"{kind}:{reason}"] += 1
            if len(differences) < 500:
                differences.append(
                    {
                        "code": dossier.code,
                        "kind": kind,
                        "reason": reason,
                        "our_status": dossier.latest_status,
                        "portal_status": portal_status,
                        "pending_changes": dossier.pending,
                        "last_error": dossier.last_error,
                    }
                )
    return {
        "agency_id": agency_id,
        "dossiers": total,
        "in_sync": in_sync,
        "synced_share_percent": round(100.0 * in_sync / total, 2) if total else 100.0,
        "differences_by_kind": dict(counts),
        "differences": differences,
        "checked_at": _now(),
    }
