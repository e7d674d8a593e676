"""The account audit log: append to the hash chain, verify it, read it within the reader's scope."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import audit
from dvc_common.principal import Principal, Role
from dvc_identity import errors
from dvc_identity.models import AuditRecord, Officer
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import AuditView, ChainCheck
from dvc_identity.service.context import Origin, actor_of, now_utc


async def record(
    session: AsyncSession,
    action: str,
    *,
    actor: str | None,
    actor_kind: str | None,
    target: str | None = None,
    agency_id: str | None = None,
    origin: Origin = Origin(),
    detail: dict[str, Any] | None = None,
) -> None:
    repo = IdentityRepository(session)
    at = now_utc()
    link = await audit.append(
        repo,
        lambda seq: audit_content(
            seq, at, actor, actor_kind, action, target, agency_id, origin, detail or {}
        ),
    )
    repo.add(
        AuditRecord(
            seq=link.seq,
            at=at,
            actor=actor,
            actor_kind=actor_kind,
            action=action,
            target=target,
            agency_id=agency_id,
            source_address=origin.address,
            user_agent=(origin.user_agent or "")[:256] or None,
            detail=detail or {},
            prev_hash=link.prev_hash,
            hash=link.hash,
        )
    )


async def record_on_officer(
    session: AsyncSession,
    action: str,
    officer: Officer,
    origin: Origin,
    *,
    actor: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """An action on an officer's account by `actor`: another officer, the officer, or None (the system)."""
    await record(
        session,
        action,
        actor=actor,
        actor_kind="officer" if actor else "system",
        target=str(officer.id),
        agency_id=officer.agency_id,
        origin=origin,
        detail=detail,
    )


def audit_content(
    seq: int,
    at: datetime,
    actor: str | None,
    actor_kind: str | None,
    action: str,
    target: str | None,
    agency_id: str | None,
    origin: Origin,
    detail: dict[str, Any],
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor,
        "actor_kind": actor_kind,
        "action": action,
        "target": target,
        "agency_id": agency_id,
        "source_address": origin.address,
        "user_agent": (origin.user_agent or "")[:256] or None,
        "detail": json.loads(json.dumps(detail, default=str)),
    }


def audit_content_of(row: AuditRecord) -> dict[str, Any]:
    return audit_content(
        row.seq,
        row.at,
        row.actor,
        row.actor_kind,
        row.action,
        row.target,
        row.agency_id,
        Origin(row.source_address, row.user_agent),
        row.detail,
    )


async def verify_audit_chain(session: AsyncSession, *, page: int) -> ChainCheck:
    """Walk the whole chain `page` records at a time; name the first record that no longer holds."""
    verdict = await audit.verify(IdentityRepository(session), audit_content_of, batch=page)
    return ChainCheck(
        ok=verdict.ok,
        checked=verdict.checked,
        first_broken_seq=verdict.first_broken_seq,
        broken=verdict.broken,
        message=verdict.message(),
        records=verdict.checked,
        intact=verdict.ok,
    )


async def audit_trail(
    session: AsyncSession,
    principal: Principal,
    *,
    agency_id: str | None,
    actor: str | None,
    target: str | None,
    after: int | None,
    limit: int,
) -> list[AuditView]:
    a = actor_of(principal)
    if not (a.has(Role.AUDITOR) or a.has(Role.PROVINCIAL_OPERATOR)):
        if not a.has(Role.AGENCY_ADMIN):
            raise errors.audit_readers_only()
        agency_id = principal.agency_id
    rows = await IdentityRepository(session).audit(
        agency_id=agency_id, actor=actor, target=target, after=after, limit=limit
    )
    return [AuditView.model_validate(r, from_attributes=True) for r in rows]
