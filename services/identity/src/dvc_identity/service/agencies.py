"""The agency tree: create or change an agency, seed the province's agencies."""

from __future__ import annotations

import json
from importlib import resources

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import AGENCY_UPSERTED, AgencyUpserted
from dvc_identity import errors
from dvc_identity.models import Agency
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import AgencyIn, AgencyView
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


async def load_seed(session: AsyncSession, ctx: Identity) -> int:
    changed = 0
    for agency in seed_agencies():
        if await IdentityRepository(session).agency(agency.id) is None:
            _, did = await upsert_agency(session, ctx, agency, actor=None)
            changed += did
    return changed
