"""The system clock's owner: show it, move it forward (audited, published), read it at start.

Identity keeps the setting in its own database; every change is one transaction with an audit
record in the account audit chain and `clock.changed.v1` in the outbox, so the change, its trace and
its announcement commit together. The caller applies the new setting to this process after commit;
the other processes follow the event (dvc_common.clock_follow).
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.clock import (
    CLOCK_CHANGED,
    CLOCK_SUBJECT,
    VIETNAM,
    WALL_CLOCK,
    Clock,
    ClockChange,
    ClockMoveRefused,
    ClockSetting,
    plan_change,
    wall_now,
)
from dvc_common.principal import Principal
from dvc_identity import errors
from dvc_identity.models import ClockRecord
from dvc_identity.repository import IdentityRepository
from dvc_identity.schemas import ClockView
from dvc_identity.service import audit
from dvc_identity.service.context import Identity, Origin


def setting_of(row: ClockRecord | None) -> ClockSetting:
    if row is None:
        return WALL_CLOCK
    return ClockSetting(
        version=row.version,
        offset_seconds=row.offset_seconds,
        frozen_at=row.frozen_at,
        changed_at=row.changed_at,
        changed_by=row.changed_by,
    )


async def stored_setting(session: AsyncSession) -> ClockSetting:
    """The setting in force (read at start: a replica started later agrees with the others)."""
    return setting_of(await IdentityRepository(session).clock_record())


def clock_view(clock: Clock, environment: str) -> ClockView:
    setting, now = clock.setting, clock.now()
    mode = "wall" if setting.version == 0 else ("frozen" if setting.frozen else "running")
    return ClockView(
        now=now,
        now_local=f"{now.astimezone(VIETNAM):%H:%M:%S ngày %d/%m/%Y}",
        environment=environment,
        movable=clock.movable,
        mode=mode,
        version=setting.version,
        offset_seconds=setting.offset_seconds,
        frozen_at=setting.frozen_at,
        changed_at=setting.changed_at,
        changed_by=setting.changed_by,
        description=setting.description_vi,
    )


async def change_clock(
    session: AsyncSession,
    ctx: Identity,
    clock: Clock,
    principal: Principal,
    change: ClockChange,
    origin: Origin,
) -> ClockSetting:
    """Move the clock forward; the caller applies the returned setting once the transaction commits."""
    if not clock.movable:
        raise errors.clock_fixed_in_production()
    repo = IdentityRepository(session)
    await repo.lock_clock()
    row = await repo.clock_record()
    current, wall = setting_of(row), wall_now()
    try:
        new = plan_change(current, wall, change, by=principal.subject)
    except ClockMoveRefused as refused:
        raise errors.clock_move_refused(str(refused)) from None
    row = row or ClockRecord(id=1, version=0)
    row.version, row.offset_seconds, row.frozen_at = new.version, new.offset_seconds, new.frozen_at
    row.changed_at, row.changed_by = new.changed_at, new.changed_by
    repo.add(row)
    await audit.record(
        session,
        "clock.changed",
        actor=principal.subject,
        actor_kind=principal.kind,
        target=CLOCK_SUBJECT,
        agency_id=principal.agency_id,
        origin=origin,
        detail={
            "version": new.version,
            "from": current.now(wall).isoformat(),
            "to": new.now(wall).isoformat(),
            "frozen": new.frozen,
            "request": change.model_dump(mode="json", exclude_none=True),
        },
    )
    await ctx.outbox.add(session, CLOCK_CHANGED, new, subject=CLOCK_SUBJECT)
    return new
