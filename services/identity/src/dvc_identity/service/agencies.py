"""The agency tree: create or change an agency, seed the province's agencies and their departments."""

from __future__ import annotations

import json
from importlib import resources

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import AGENCY_UPSERTED, AgencyUpserted
from dvc_identity import errors
from dvc_identity.models import Agency, Department
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import AgencyIn, AgencyView, DepartmentView
from dvc_identity.service.audit import record
from dvc_identity.service.context import Identity, Origin, now_utc


async def list_agencies(session: AsyncSession) -> list[AgencyView]:
    return [agency_view(a) for a in await IdentityRepository(session).agencies()]


async def get_agency(session: AsyncSession, agency_id: str) -> AgencyView:
    found = await IdentityRepository(session).agency(agency_id)
    if found is None:
        raise errors.agency_not_found(agency_id)
    return agency_view(found)


def agency_view(agency: Agency) -> AgencyView:
    return AgencyView(
        id=agency.id, name=agency.name, level=agency.level, parent_id=agency.parent_id, active=agency.active
    )


async def upsert_agency(
    session: AsyncSession, ctx: Identity, data: AgencyIn, *, actor: str | None, origin: Origin = Origin()
) -> tuple[AgencyView, bool]:
    """Create or change an agency; publishes `agency.upserted.v1` only when something changed."""
    repo = IdentityRepository(session)
    if data.parent_id is not None and data.parent_id != data.id and await repo.agency(data.parent_id) is None:
        raise errors.unknown_parent_agency(data.parent_id)
    current = await repo.agency(data.id)
    values = data.model_dump()
    if current is not None and all(getattr(current, k) == v for k, v in values.items()):
        return agency_view(current), False
    now = now_utc()
    if current is None:
        current = Agency(**values, updated_at=now)
        repo.add(current)
        await session.flush()
        for code, name in seed_departments(current.id, current.level):
            repo.add(Department(agency_id=current.id, code=code, name=name))
    else:
        for key, value in values.items():
            setattr(current, key, value)
        current.updated_at = now
    await session.flush()
    await ctx.outbox.add(
        session,
        AGENCY_UPSERTED,
        AgencyUpserted(
            agency_id=current.id,
            name=current.name,
            level=data.level,
            parent_id=current.parent_id,
            active=current.active,
            updated_at=now,
        ),
        subject=current.id,
    )
    await record(
        session,
        "agency.upserted",
        actor=actor,
        actor_kind="officer" if actor else "system",
        target=current.id,
        agency_id=current.id,
        origin=origin,
        detail={"name": current.name, "level": current.level},
    )
    return agency_view(current), True


def seed_agencies() -> list[AgencyIn]:
    raw = resources.files("dvc_identity").joinpath("data/agencies.json").read_text(encoding="utf-8")
    return [AgencyIn.model_validate(item) for item in json.loads(raw)]


def _departments_seed() -> dict[str, dict[str, list[dict[str, str]]]]:
    raw = resources.files("dvc_identity").joinpath("data/departments.json").read_text(encoding="utf-8")
    seed: dict[str, dict[str, list[dict[str, str]]]] = json.loads(raw)
    return seed


def seed_departments(agency_id: str, level: str) -> list[tuple[str, str]]:
    """(code, name) of an agency's departments: its own where the seed knows them, else its level's."""
    seed = _departments_seed()
    units = seed["by_agency"].get(agency_id) or seed["by_level"].get(level, [])
    return [(unit["code"], unit["name"]) for unit in units]


async def load_seed(session: AsyncSession, ctx: Identity) -> int:
    """Add the seed's agencies a database lacks, and the seed's departments an agency lacks."""
    changed = 0
    repo = IdentityRepository(session)
    for agency in seed_agencies():
        if await repo.agency(agency.id) is None:
            _, did = await upsert_agency(session, ctx, agency, actor=None)
            changed += did
        else:
            known = {d.code for d in await repo.departments(agency.id, active_only=False)}
            for code, name in seed_departments(agency.id, agency.level):
                if code not in known:
                    repo.add(Department(agency_id=agency.id, code=code, name=name))
    return changed


async def list_departments(session: AsyncSession, agency_id: str) -> list[DepartmentView]:
    repo = IdentityRepository(session)
    if await repo.agency(agency_id) is None:
        raise errors.agency_not_found(agency_id)
    return [DepartmentView(code=d.code, name=d.name) for d in await repo.departments(agency_id)]
