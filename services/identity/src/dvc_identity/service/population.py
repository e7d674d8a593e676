"""The national population database: who may look citizens up (Điện Biên Điều 10), and the look-up."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.principal import Principal
from dvc_common.problems import Problem
from dvc_identity import errors
from dvc_identity.models import PopulationGrant, PopulationLookup
from dvc_identity.population_db import PopulationUnavailable
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import LookupIn, OfficerView, PopulationRecord
from dvc_identity.service.audit import record
from dvc_identity.service.context import Identity, Origin, now_utc
from dvc_identity.service.officers import is_locked, officer_view


async def grant_population_access(
    session: AsyncSession, principal: Principal, officer_id: uuid.UUID, signed_on: date, origin: Origin
) -> OfficerView:
    """Sở KH&CN grants look-up rights to a named officer who signed the commitment (Điện Biên Điều 10)."""
    repo = IdentityRepository(session)
    officer = await repo.officer(officer_id, for_update=True)
    if officer is None:
        raise errors.officer_not_found("Không có tài khoản này.")
    if is_locked(officer):
        raise errors.locked_officer_grant()
    if signed_on > now_utc().date():
        raise errors.commitment_in_future()
    if await repo.active_grant(officer_id) is not None:
        raise errors.already_granted()
    repo.add(
        PopulationGrant(
            officer_id=officer_id,
            commitment_signed_on=signed_on,
            granted_by=principal.subject,
            granted_at=now_utc(),
        )
    )
    await record(
        session,
        "population.granted",
        actor=principal.subject,
        actor_kind="officer",
        target=str(officer_id),
        agency_id=officer.agency_id,
        origin=origin,
        detail={"commitment_signed_on": signed_on.isoformat()},
    )
    return officer_view(officer, True)


async def revoke_population_access(
    session: AsyncSession, principal: Principal, officer_id: uuid.UUID, origin: Origin
) -> None:
    repo = IdentityRepository(session)
    grant = await repo.active_grant(officer_id)
    if grant is None:
        raise errors.no_grant()
    grant.revoked_at = now_utc()
    grant.revoked_reason = "Thu hồi theo đề nghị"
    officer = await repo.officer(officer_id)
    await record(
        session,
        "population.revoked",
        actor=principal.subject,
        actor_kind="officer",
        target=str(officer_id),
        agency_id=officer.agency_id if officer else None,
        origin=origin,
    )


async def population_lookup(
    session: AsyncSession, ctx: Identity, principal: Principal, query: LookupIn, origin: Origin
) -> PopulationRecord | Problem:
    """The citizen's record; a citizen not found is returned as a Problem (the look-up is logged anyway)."""
    repo = IdentityRepository(session)
    officer_id = uuid.UUID(principal.subject)
    if await repo.active_grant(officer_id) is None:
        raise errors.lookup_not_granted()
    try:
        found = await ctx.population.citizen(query.personal_id)
    except PopulationUnavailable as exc:
        raise errors.population_unavailable() from exc
    repo.add(
        PopulationLookup(
            officer_id=officer_id,
            agency_id=principal.agency_id or "",
            personal_id=query.personal_id,
            purpose=query.purpose,
            dossier_code=query.dossier_code,
            found=found is not None,
            at=now_utc(),
            source_address=origin.address,
        )
    )
    await record(
        session,
        "population.lookup",
        actor=principal.subject,
        actor_kind="officer",
        agency_id=principal.agency_id,
        origin=origin,
        detail={
            "personal_id": query.personal_id,
            "purpose": query.purpose,
            "dossier_code": query.dossier_code,
            "found": found is not None,
        },
    )
    if found is None:
        return errors.not_in_population()
    return PopulationRecord.model_validate(found)
