"""Operator views: the backlog, failing dossiers, one dossier's sync, and resending it at once."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import NATIONAL_STATUS_NAMES
from dvc_sync_national.domain.portal_record import dossier_record
from dvc_sync_national.errors import dossier_not_synced
from dvc_sync_national.models import Dossier
from dvc_sync_national.portal import PortalClient
from dvc_sync_national.repository import SyncRepository
from dvc_sync_national.service import portal_records
from dvc_sync_national.service.clock import now as _now


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


async def dossier_view(session: AsyncSession, code: str, attempts: int = 50) -> dict[str, Any]:
    repo = SyncRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise dossier_not_synced(code)
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
        raise dossier_not_synced(code)
    dossier = await repo.dossier_for_update(code)
    now = _now()
    if dossier.pending > 0:
        dossier.next_attempt_at = now
        dossier.failures = 0
        dossier.force_next = True
        return {"code": code, "action": "queued", "pending_changes": dossier.pending}
    procedures = await repo.procedures([dossier.procedure_code or ""])
    facts = portal_records.facts(dossier, procedures.get(dossier.procedure_code or ""))
    if facts is None or dossier.synced_status is None:
        return {"code": code, "action": "nothing_to_send", "pending_changes": 0}
    record = dossier_record(facts, dossier.synced_status, portal_records.milestones(dossier), tz)
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
