"""Reconciliation with the portal: which dossiers it shows with our status, and why the others differ."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_sync_national.portal import PortalClient
from dvc_sync_national.repository import SyncRepository
from dvc_sync_national.service.clock import now as _now


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
