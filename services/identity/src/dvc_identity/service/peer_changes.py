"""Four-eyes for privileged peers: a change of roles, department, position or contact, or a lock, of
an account at the actor's own privilege level (operator to operator, agency admin to agency admin)
waits until a second privileged account approves it. A higher role acts at once. The request, the
approval (followed by the change itself) and the refusal are each in the audit chain."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.principal import Principal
from dvc_identity import errors
from dvc_identity.domain import accounts
from dvc_identity.models import Officer, PendingChange
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import OfficerChange, OfficerView, PendingChangeView
from dvc_identity.service import officers
from dvc_identity.service.audit import record_on_officer
from dvc_identity.service.context import Identity, Origin, actor_of, now_utc


def _view(change: PendingChange, officer: Officer) -> PendingChangeView:
    return PendingChangeView(
        id=change.id,
        officer_id=change.officer_id,
        officer_username=officer.username,
        action="lock" if change.action == "lock" else "change",
        change=change.change,
        requested_by=change.requested_by,
        requested_at=change.requested_at,
        status="approved"
        if change.status == "approved"
        else "refused"
        if change.status == "refused"
        else "pending",
        decided_by=change.decided_by,
        decided_at=change.decided_at,
    )


def _target_roles(officer: Officer, change: dict[str, Any]) -> frozenset[str]:
    return frozenset(officer.roles) | frozenset(change.get("roles") or ())


async def _request(
    session: AsyncSession,
    principal: Principal,
    officer: Officer,
    action: str,
    change: dict[str, Any],
    origin: Origin,
) -> PendingChangeView:
    repo = IdentityRepository(session)
    if await repo.open_change_of(officer.id) is not None:
        raise errors.change_pending()
    pending = PendingChange(
        officer_id=officer.id,
        action=action,
        change=change,
        requested_by=principal.subject,
        requested_at=now_utc(),
    )
    repo.add(pending)
    await session.flush()
    await record_on_officer(
        session,
        "officer.change_requested",
        officer,
        origin,
        actor=principal.subject,
        detail={"request": str(pending.id), "action": action, "change": change},
    )
    return _view(pending, officer)


async def change_officer(
    session: AsyncSession,
    ctx: Identity,
    principal: Principal,
    officer_id: uuid.UUID,
    change: OfficerChange,
    origin: Origin,
) -> OfficerView | PendingChangeView:
    """The change, made at once, or (a privileged peer's account) a request awaiting a second person."""
    officer = await officers.check_change(session, principal, officer_id, change)
    wanted = change.model_dump(mode="json", exclude_none=True)
    if accounts.needs_second_person(actor_of(principal), _target_roles(officer, wanted)):
        return await _request(session, principal, officer, "change", wanted, origin)
    return await officers.apply_change(session, ctx, principal.subject, officer, change, origin)


async def lock_officer(
    session: AsyncSession,
    ctx: Identity,
    principal: Principal,
    officer_id: uuid.UUID,
    reason: officers.LockReason,
    origin: Origin,
) -> OfficerView | PendingChangeView:
    officers.check_lock(principal, officer_id)
    officer = await officers.managed_officer(session, principal, officer_id)
    if accounts.needs_second_person(actor_of(principal), frozenset(officer.roles)):
        return await _request(session, principal, officer, "lock", {"reason": reason}, origin)
    return await officers.apply_lock(session, ctx, principal.subject, officer, reason, origin)


async def _decidable(
    session: AsyncSession, principal: Principal, change_id: uuid.UUID
) -> tuple[PendingChange, Officer]:
    repo = IdentityRepository(session)
    pending = await repo.pending_change(change_id, for_update=True)
    officer = await repo.officer(pending.officer_id, for_update=True) if pending else None
    if pending is None or officer is None or not accounts.may_read(actor_of(principal), officer.agency_id):
        raise errors.change_not_found()
    if pending.status != "pending":
        raise errors.change_decided()
    return pending, officer


def _may_decide(principal: Principal, pending: PendingChange, officer: Officer) -> bool:
    """Whether the principal may approve or refuse this pending change of that officer's account."""
    return accounts.may_decide(
        actor_of(principal),
        requested_by=pending.requested_by,
        target_id=str(officer.id),
        target_agency=officer.agency_id,
        target_roles=_target_roles(officer, pending.change),
    )


async def approve(
    session: AsyncSession, ctx: Identity, principal: Principal, change_id: uuid.UUID, origin: Origin
) -> PendingChangeView:
    pending, officer = await _decidable(session, principal, change_id)
    if not _may_decide(principal, pending, officer):
        raise errors.not_your_decision()
    pending.status, pending.decided_by, pending.decided_at = "approved", principal.subject, now_utc()
    await record_on_officer(
        session,
        "officer.change_approved",
        officer,
        origin,
        actor=principal.subject,
        detail={"request": str(pending.id), "requested_by": pending.requested_by},
    )
    if pending.action == "lock":
        await officers.apply_lock(
            session, ctx, pending.requested_by, officer, pending.change["reason"], origin, principal.subject
        )
    else:
        change = OfficerChange.model_validate(pending.change)
        await officers.apply_change(
            session, ctx, pending.requested_by, officer, change, origin, approved_by=principal.subject
        )
    return _view(pending, officer)


async def refuse(
    session: AsyncSession, principal: Principal, change_id: uuid.UUID, origin: Origin
) -> PendingChangeView:
    """A second person refuses the request, or its author withdraws it."""
    pending, officer = await _decidable(session, principal, change_id)
    withdrawn = principal.subject == pending.requested_by
    if not withdrawn and not _may_decide(principal, pending, officer):
        raise errors.not_your_decision()
    pending.status, pending.decided_by, pending.decided_at = "refused", principal.subject, now_utc()
    await record_on_officer(
        session,
        "officer.change_refused",
        officer,
        origin,
        actor=principal.subject,
        detail={"request": str(pending.id), "requested_by": pending.requested_by, "withdrawn": withdrawn},
    )
    return _view(pending, officer)


async def list_changes(
    session: AsyncSession, principal: Principal, status: str, limit: int
) -> list[PendingChangeView]:
    """Requests on accounts the caller may read (the ones they may decide among them)."""
    actor = actor_of(principal)
    rows = await IdentityRepository(session).pending_changes(status, limit)
    return [_view(change, officer) for change, officer in rows if accounts.may_read(actor, officer.agency_id)]
