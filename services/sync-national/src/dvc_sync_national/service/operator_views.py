"""Operator views: the backlog, failing dossiers, one dossier's sync, and resending it at once."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_sync_national.domain.portal_record import dossier_record
from dvc_sync_national.errors import dossier_not_synced
from dvc_sync_national.models import Attempt, Change, Dossier
from dvc_sync_national.portal import PortalAnswer, PortalClient
from dvc_sync_national.repository import SyncRepository
from dvc_sync_national.service import portal_records
from dvc_sync_national.service.clock import now as _now


async def backlog(session: AsyncSession, failing: int = 20) -> tuple[dict[str, Any], list[Dossier]]:
    """Pending changes and dossiers by why they wait, and the most recently failing dossiers."""
    repo = SyncRepository(session)
    return await repo.backlog(), await repo.failing(failing)


async def failing_dossiers(session: AsyncSession, limit: int) -> list[Dossier]:
    return await SyncRepository(session).failing(limit)


async def dossier_sync(
    session: AsyncSession, code: str, attempts: int = 50
) -> tuple[Dossier, list[Change], list[Attempt]]:
    """One dossier's sync: the dossier, its change log, its latest calls to the portal."""
    repo = SyncRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise dossier_not_synced(code)
    return dossier, await repo.changes(code), await repo.attempts(code, attempts)


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
    answer = await _send_record(portal, record, on_portal=dossier.on_portal)
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


async def _send_record(portal: PortalClient, record: dict[str, Any], *, on_portal: bool) -> PortalAnswer:
    """Update the portal's record, or create it (an update if the portal has it after all)."""
    answer = await (portal.update([record]) if on_portal else portal.create([record]))
    if answer.duplicate:
        answer = await portal.update([record])
    return answer
