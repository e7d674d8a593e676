"""The national population database: who may look citizens up (Điện Biên Điều 10), and the look-up."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.auth import Principal
from dvc_common.problems import Problem
from dvc_identity import errors
from dvc_identity.models import PopulationGrant, PopulationLookup
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
        raise Problem(404, "officer-not-found", "Không tìm thấy tài khoản", "Không có tài khoản này.")
    if is_locked(officer):
        raise Problem(
            409, "account-locked", "Tài khoản đã bị khóa", "Không cấp quyền cho tài khoản đang bị khóa."
        )
    if signed_on > now_utc().date():
        raise Problem(
            422,
            "commitment-in-future",
            "Ngày ký cam kết không hợp lệ",
            "Ngày ký cam kết không được ở tương lai.",
        )
    if await repo.active_grant(officer_id) is not None:
        raise Problem(409, "already-granted", "Đã có quyền tra cứu", "Cán bộ này đã được cấp quyền tra cứu.")
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
        raise Problem(
            404, "no-grant", "Chưa có quyền tra cứu", "Cán bộ này không có quyền tra cứu đang hiệu lực."
        )
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
) -> PopulationRecord:
    repo = IdentityRepository(session)
    officer_id = uuid.UUID(principal.subject)
    if await repo.active_grant(officer_id) is None:
        raise errors.forbidden("Tài khoản chưa được cấp quyền tra cứu Cơ sở dữ liệu quốc gia về dân cư.")
    try:
        response = await ctx.http.get(
            ctx.settings.population_url.rstrip("/") + f"/api/citizens/{query.personal_id}",
            headers={"X-API-Key": ctx.settings.population_api_key.get_secret_value()},
        )
    except httpx.HTTPError as exc:
        raise Problem(
            503, "population-unavailable", "CSDL dân cư chưa sẵn sàng", "Vui lòng thử lại sau."
        ) from exc
    if response.status_code not in (200, 404):
        raise Problem(503, "population-unavailable", "CSDL dân cư chưa sẵn sàng", "Vui lòng thử lại sau.")
    found = response.status_code == 200
    repo.add(
        PopulationLookup(
            officer_id=officer_id,
            agency_id=principal.agency_id or "",
            personal_id=query.personal_id,
            purpose=query.purpose,
            dossier_code=query.dossier_code,
            found=found,
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
            "found": found,
        },
    )
    if not found:
        raise Problem(
            404, "citizen-not-found", "Không tìm thấy công dân", "Không có công dân với số định danh này."
        )
    return PopulationRecord.model_validate(response.json())
