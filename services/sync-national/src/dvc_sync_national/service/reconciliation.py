"""Reconciliation with the portal: which dossiers it shows with our status, and why the others differ."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_sync_national.models import Dossier
from dvc_sync_national.portal import PortalClient
from dvc_sync_national.repository import SyncRepository
from dvc_sync_national.service.clock import now as _now

MAX_DIFFERENCES = 500  # listed in the answer; all of them are counted


def _difference(dossier: Dossier, found: dict[str, Any] | None) -> dict[str, Any] | None:
    """How the portal's record (`found`, None when it has none) differs from ours, if it does."""
    portal_status = int(found["TrangThaiHoSo"]) if found else None
    if portal_status == dossier.latest_status:
        return None
    return {
        "code": dossier.code,
        "kind": "missing_on_portal" if found is None else "status_differs",
        "reason": "in_backlog" if dossier.pending > 0 else "drift",
        "our_status": dossier.latest_status,
        "portal_status": portal_status,
        "pending_changes": dossier.pending,
        "last_error": dossier.last_error,
    }


async def _pages(
    repo: SyncRepository, portal: PortalClient, agency_id: str | None, page: int
) -> AsyncIterator[tuple[list[Dossier], dict[str, dict[str, Any]]]]:
    """Our dossiers (of `agency_id`, if given) page by page, with the portal's records of them."""
    after = ""
    while batch := await repo.dossiers_after(after, page):
        after = batch[-1].code
        mine = [d for d in batch if agency_id is None or d.agency_id == agency_id]
        if mine:
            yield mine, await portal.query([d.code for d in mine])


async def reconcile(
    session: AsyncSession, portal: PortalClient, *, agency_id: str | None = None, page: int = 500
) -> dict[str, Any]:
    """Compare the portal's view with ours. The national evaluation counts the share of dossiers whose
    status the portal shows as ours (domain-rules §10), so that share is reported first."""
    total = in_sync = 0
    differences: list[dict[str, Any]] = []
    counts: dict[str, int] = defaultdict(int)
    async for mine, theirs in _pages(SyncRepository(session), portal, agency_id, page):
        for dossier in mine:
            total += 1
            difference = _difference(dossier, theirs.get(dossier.code))
            if difference is None:
                in_sync += 1
                continue
            counts[f"{difference['kind']}:{difference['reason']}"] += 1
            if len(differences) < MAX_DIFFERENCES:
                differences.append(difference)
    return {
        "agency_id": agency_id,
        "dossiers": total,
        "in_sync": in_sync,
        "synced_share_percent": round(100.0 * in_sync / total, 2) if total else 100.0,
        "differences_by_kind": dict(counts),
        "differences": differences,
        "checked_at": _now(),
    }
