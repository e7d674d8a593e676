"""The dispatcher: one round claims due dossiers and sends their next changes to the portal in order
(dossier records first, then processing steps); each dossier backs off on its own after a failure."""

from __future__ import annotations

import contextlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opentelemetry import context as otel_context
from opentelemetry import propagate
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import NationalStatus
from dvc_common.jobs import backoff
from dvc_sync_national.domain.ordering import plan
from dvc_sync_national.domain.portal_record import DossierFacts, Milestones, dossier_record, step_record
from dvc_sync_national.models import Change, Dossier, Procedure
from dvc_sync_national.portal import PortalAnswer, PortalClient, PortalUnavailable
from dvc_sync_national.repository import SyncRepository
from dvc_sync_national.service import portal_records
from dvc_sync_national.service.clock import now as _now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """How long a dossier waits after its n-th consecutive failure (the shared backoff)."""

    base_seconds: float = 1.0
    max_seconds: float = 60.0

    def delay(self, failures: int) -> timedelta:
        return timedelta(seconds=backoff(failures, self.base_seconds, self.max_seconds))


@dataclass
class Item:
    """One change on its way: its dossier record and its processing step, each sent at most once."""

    dossier: Dossier
    change: Change
    record: dict[str, Any] | None
    step: dict[str, Any] | None
    milestones: Milestones
    create: bool = False

    def payload(self, kind: str) -> dict[str, Any]:
        """What a call of `kind` (create, update, step) sends for this change."""
        sent = self.step if kind == "step" else self.record
        assert sent is not None  # steps are queued only with a step, records only with a record
        return sent


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

    def reject(self, item: Item, kind: str, answer: PortalAnswer) -> None:
        self.failed.add(item.dossier.code)
        self.errors[item.dossier.code] = f"{kind}: mã lỗi {answer.error_code}: {answer.message}"

    def unreachable(self, dossier: Dossier, exc: PortalUnavailable) -> None:
        self.errors[dossier.code] = f"Cổng không phục vụ: {exc}"
        self.attempts.append(
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


@dataclass
class Outbound:
    """What one round sends, in the order the portal must see it."""

    creates: list[Item] = field(default_factory=list)
    records: list[Item] = field(default_factory=list)
    steps: list[Item] = field(default_factory=list)


OnSent = Callable[[Item], Awaitable[None]]


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
    items: list[Item], kind: str, portal: PortalClient, batch: int, result: Round, on_ok: OnSent
) -> None:
    """Send `items` (ordered per dossier) in batches; a rejected batch is retried dossier by dossier,
    record by record, so one bad dossier stops only itself. Raises PortalUnavailable."""
    for chunk in _chunks(items, batch):
        chunk = [i for i in chunk if i.dossier.code not in result.failed]
        if not chunk:
            continue
        answer = await _call(portal, kind, [i.payload(kind) for i in chunk])
        if answer.ok:
            for item in chunk:
                result.attempt(item, kind, answer)
                await on_ok(item)
            continue
        for item in chunk:  # isolate the culprit(s)
            if item.dossier.code not in result.failed:
                alone = answer if len(chunk) == 1 else None
                await _send_alone(item, kind, portal, result, on_ok, alone)


async def _send_alone(
    item: Item, kind: str, portal: PortalClient, result: Round, on_ok: OnSent, answer: PortalAnswer | None
) -> None:
    """One item on its own (`answer`: the portal's answer to it alone, when already known)."""
    one = answer if answer is not None else await _call(portal, kind, [item.payload(kind)])
    if kind == "create" and one.duplicate:
        # The portal already has it (an earlier create whose answer was lost): update instead.
        result.attempt(item, kind, one, "duplicate")
        one = await _call(portal, "update", [item.payload("update")])
        result.attempt(item, "update", one)
    else:
        result.attempt(item, kind, one)
    if one.ok:
        await on_ok(item)
    else:
        result.reject(item, kind, one)


async def _call(portal: PortalClient, kind: str, payload: list[dict[str, Any]]) -> PortalAnswer:
    if kind == "create":
        return await portal.create(payload)
    if kind == "update":
        return await portal.update(payload)
    return await portal.steps(payload)


def _step_in_place(dossier: Dossier, change: Change, pending: list[Change], sending: list[Change]) -> bool:
    """Whether a change's step may go in this round: every earlier change is sent (or goes in this
    round, before the steps), and the portal then shows the step's status (or has gone past it: a
    late step joins the history in its place)."""
    if not dossier.on_portal and not sending:
        return False
    going = {c.sequence for c in sending}
    if any(not c.record_sent and c.sequence < change.sequence and c.sequence not in going for c in pending):
        return False
    if change.sequence <= dossier.synced_sequence:
        return True
    before = [c for c in sending if c.sequence < change.sequence]
    shown = before[-1].status if before else dossier.synced_status
    return change.status == shown


def _queue_dossier(
    outbound: Outbound,
    dossier: Dossier,
    pending: list[Change],
    facts: DossierFacts,
    tz: ZoneInfo,
    per_dossier: int,
) -> int:
    """Queue what may be sent of one dossier now; the number of its changes found stale."""
    unsent = [c for c in pending if not c.record_sent]
    decided = plan(
        dossier.synced_status, dossier.synced_sequence, unsent, limit=per_dossier, force=dossier.force_next
    )
    for change in decided.stale:
        change.state = "stale"
        log.warning(
            "stale status change not sent (the portal already has a later one)",
            extra={"code": dossier.code, "status": change.status, "sequence": change.sequence},
        )
    # Steps whose record went through earlier but which were not accepted themselves go again; so
    # do steps that keep the status (no record of their own) once the portal shows their status.
    # Steps are sent after the round's records, in sequence order.
    held = False
    for change in pending:
        if not (change.record_sent and not change.step_sent):
            continue
        if not _step_in_place(dossier, change, pending, decided.send):
            held = True
            continue
        step = step_record(
            facts, portal_records.status_change(change), NationalStatus(change.status).label_vi, tz
        )
        outbound.steps.append(Item(dossier, change, None, step, portal_records.milestones(dossier)))
    dossier.blocked = "waiting_earlier" if decided.blocked or (held and not decided.send) else None
    milestones = portal_records.milestones(dossier)
    for position, change in enumerate(decided.send):
        facts_change = portal_records.status_change(change)
        milestones = milestones.advance(facts_change)
        item = Item(
            dossier,
            change,
            dossier_record(facts, change.status, milestones, tz),
            step_record(facts, facts_change, NationalStatus(change.status).label_vi, tz),
            milestones,
            create=position == 0 and not dossier.on_portal,
        )
        (outbound.creates if item.create else outbound.records).append(item)
        if item.step is not None:
            outbound.steps.append(item)
    return len(decided.stale)


class _Progress:
    """What the portal accepted during a round, applied to the dossiers and changes as it comes."""

    def __init__(self, result: Round, remaining: dict[str, int]) -> None:
        self.result = result
        self.remaining = remaining  # changes still pending, per dossier

    async def record_sent(self, item: Item) -> None:
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
            await self.done(item)

    async def step_sent(self, item: Item) -> None:
        item.change.step_sent = True
        await self.done(item)

    async def done(self, item: Item) -> None:
        item.change.state = "synced"
        item.change.synced_at = _now()
        self.remaining[item.dossier.code] -= 1
        self.result.synced += 1
        with _in_trace(item.change):
            log.info(
                "status synced to national portal",
                extra={"code": item.dossier.code, "status": item.change.status},
            )


async def sync_due(
    session: AsyncSession,
    portal: PortalClient,
    tz: ZoneInfo,
    *,
    limit: int = 200,
    per_dossier: int = 50,
    batch: int = 200,
    retry: Backoff = Backoff(),
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
    outbound, remaining = _queue(dossiers, by_code, procedures, tz, per_dossier)
    progress = _Progress(result, remaining)
    try:
        await _send(outbound.creates, "create", portal, batch, result, progress.record_sent)
        await _send(outbound.records, "update", portal, batch, result, progress.record_sent)
        steps = [i for i in outbound.steps if i.change.record_sent]
        steps.sort(key=lambda i: (i.dossier.code, i.change.sequence))
        await _send(steps, "step", portal, batch, result, progress.step_sent)
    except PortalUnavailable as exc:
        result.unavailable = True
        for dossier in dossiers:
            if remaining[dossier.code] > 0 and dossier.code not in result.failed:
                result.unreachable(dossier, exc)
    _settle(dossiers, remaining, result, retry, now)
    await repo.add_attempts(result.attempts)
    return result


def _queue(
    dossiers: list[Dossier],
    by_code: dict[str, list[Change]],
    procedures: dict[str, Procedure],
    tz: ZoneInfo,
    per_dossier: int,
) -> tuple[Outbound, dict[str, int]]:
    """What the round sends, and each claimed dossier's pending changes (without the stale ones)."""
    outbound = Outbound()
    remaining: dict[str, int] = {}
    for dossier in dossiers:
        pending = by_code.get(dossier.code, [])
        remaining[dossier.code] = len(pending)
        facts = portal_records.facts(dossier, procedures.get(dossier.procedure_code or ""))
        if facts is None:
            dossier.blocked = "missing_facts"
            continue
        remaining[dossier.code] -= _queue_dossier(outbound, dossier, pending, facts, tz, per_dossier)
    return outbound, remaining


def _settle(
    dossiers: list[Dossier], remaining: dict[str, int], result: Round, retry: Backoff, now: datetime
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
            dossier.next_attempt_at = now + retry.delay(dossier.failures)
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
