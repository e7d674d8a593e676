"""All of identity's SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_identity.models import (
    Agency,
    AuditRecord,
    Citizen,
    ClockRecord,
    Department,
    Officer,
    OidcLogin,
    PendingChange,
    PopulationGrant,
    PopulationLookup,
    RefreshToken,
    SigningKey,
)

KEY_CREATION_LOCK = 0x1D7E01
AUDIT_CHAIN_LOCK = 0x1D7E02
CLOCK_LOCK = 0x1D7E03


class IdentityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- signing keys
    async def signing_keys(self, *, published_since: datetime) -> list[SigningKey]:
        rows = await self.session.exec(
            select(SigningKey)
            .where(or_(col(SigningKey.retired_at).is_(None), col(SigningKey.retired_at) > published_since))
            .order_by(col(SigningKey.created_at))
        )
        return list(rows.all())

    async def lock_key_creation(self) -> None:
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": KEY_CREATION_LOCK})

    async def retire_signing_keys(self, at: datetime) -> None:
        await self.session.execute(
            update(SigningKey).where(col(SigningKey.retired_at).is_(None)).values(retired_at=at)
        )

    # -- agencies
    async def agency(self, agency_id: str) -> Agency | None:
        return await self.session.get(Agency, agency_id)

    async def agencies(self) -> list[Agency]:
        rows = await self.session.exec(select(Agency).order_by(col(Agency.id)))
        return list(rows.all())

    def add(self, row: Any) -> None:
        self.session.add(row)

    # -- officers
    async def officer(self, officer_id: uuid.UUID, *, for_update: bool = False) -> Officer | None:
        statement = select(Officer).where(Officer.id == officer_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.exec(statement)).first()

    async def officer_by_username(self, username: str, *, for_update: bool = False) -> Officer | None:
        statement = select(Officer).where(Officer.username == username)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.exec(statement)).first()

    async def officers(
        self, agency_id: str | None, *, after: str | None, limit: int, department: str | None = None
    ) -> list[Officer]:
        statement = select(Officer).order_by(col(Officer.username)).limit(limit)
        if agency_id is not None:
            statement = statement.where(Officer.agency_id == agency_id)
        if department is not None:
            statement = statement.where(Officer.department == department)
        if after is not None:
            statement = statement.where(col(Officer.username) > after)
        return list((await self.session.exec(statement)).all())

    # -- departments
    async def departments(self, agency_id: str, *, active_only: bool = True) -> list[Department]:
        statement = select(Department).where(Department.agency_id == agency_id).order_by(col(Department.name))
        if active_only:
            statement = statement.where(col(Department.active).is_(True))
        return list((await self.session.exec(statement)).all())

    async def department(self, agency_id: str, code: str) -> Department | None:
        return await self.session.get(Department, (agency_id, code))

    # -- four-eyes changes
    async def pending_change(self, change_id: uuid.UUID, *, for_update: bool = False) -> PendingChange | None:
        statement = select(PendingChange).where(PendingChange.id == change_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.exec(statement)).first()

    async def open_change_of(self, officer_id: uuid.UUID) -> PendingChange | None:
        statement = select(PendingChange).where(
            PendingChange.officer_id == officer_id, PendingChange.status == "pending"
        )
        return (await self.session.exec(statement)).first()

    async def pending_changes(self, status: str, limit: int) -> list[tuple[PendingChange, Officer]]:
        statement = (
            select(PendingChange, Officer)
            .join(Officer, col(Officer.id) == col(PendingChange.officer_id))
            .where(PendingChange.status == status)
            .order_by(col(PendingChange.requested_at).desc())
            .limit(limit)
        )
        return [(change, officer) for change, officer in (await self.session.exec(statement)).all()]

    async def count_officers(self) -> int:
        result = await self.session.execute(text("SELECT count(*) FROM identity_officer"))
        return int(result.scalar_one())

    # -- refresh tokens
    async def refresh_token(self, token_hash: str) -> RefreshToken | None:
        statement = select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
        return (await self.session.exec(statement)).first()

    async def revoke_family(self, family: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(col(RefreshToken.family) == family, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=at)
        )

    async def revoke_subject_tokens(self, subject: str, at: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(col(RefreshToken.subject) == subject, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=at)
        )

    # -- citizens and VNeID logins
    async def consume_oidc_login(self, state: str, now: datetime, not_before: datetime) -> OidcLogin | None:
        """Mark the login used, once: a replayed or unknown state gets None."""
        result = await self.session.execute(
            text(
                "UPDATE identity_oidc_login SET used_at = :now"
                " WHERE state = :state AND used_at IS NULL AND created_at > :nb"
                " RETURNING state, nonce, code_verifier, created_at"
            ),
            {"now": now, "state": state, "nb": not_before},
        )
        row = result.first()
        if row is None:
            return None
        return OidcLogin(state=row[0], nonce=row[1], code_verifier=row[2], created_at=row[3], used_at=now)

    async def citizen_by_sub(self, vneid_sub: str) -> Citizen | None:
        statement = select(Citizen).where(Citizen.vneid_sub == vneid_sub).with_for_update()
        return (await self.session.exec(statement)).first()

    async def add_citizen_if_absent(self, citizen: Citizen) -> Citizen:
        """The account of `citizen.vneid_sub`: this one, or the one a concurrent request added first."""
        values = citizen.model_dump()
        await self.session.execute(
            insert(Citizen).values(**values).on_conflict_do_nothing(index_elements=["vneid_sub"])
        )
        found = await self.citizen_by_sub(citizen.vneid_sub)
        assert found is not None  # inserted above or by the concurrent winner
        return found

    async def citizen_by_identifier(self, kind: str, identifier: str) -> Citizen | None:
        """The account of a personal ID / organisation code (the most recently signed-in if several)."""
        statement = (
            select(Citizen)
            .where(Citizen.kind == kind, Citizen.identifier == identifier)
            .order_by(col(Citizen.last_login_at).desc().nulls_last())
        )
        return (await self.session.exec(statement)).first()

    async def citizen(self, citizen_id: uuid.UUID) -> Citizen | None:
        return await self.session.get(Citizen, citizen_id)

    # -- population database access
    async def active_grant(self, officer_id: uuid.UUID) -> PopulationGrant | None:
        statement = select(PopulationGrant).where(
            PopulationGrant.officer_id == officer_id, col(PopulationGrant.revoked_at).is_(None)
        )
        return (await self.session.exec(statement.with_for_update())).first()

    async def lookups_by(self, officer_id: uuid.UUID) -> Sequence[PopulationLookup]:
        statement = select(PopulationLookup).where(PopulationLookup.officer_id == officer_id)
        return (await self.session.exec(statement.order_by(col(PopulationLookup.id)))).all()

    # -- audit chain (a `dvc_common.audit.ChainStore`)
    async def last_link(self) -> AuditRecord | None:
        """The newest record, under the lock that serialises appenders until the transaction ends."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_CHAIN_LOCK})
        statement = select(AuditRecord).order_by(col(AuditRecord.seq).desc()).limit(1)
        return (await self.session.exec(statement)).first()

    async def links_after(self, after: int, limit: int) -> Sequence[AuditRecord]:
        statement = select(AuditRecord).where(col(AuditRecord.seq) > after).order_by(col(AuditRecord.seq))
        return (await self.session.exec(statement.limit(limit))).all()

    async def audit(
        self,
        *,
        agency_id: str | None = None,
        actor: str | None = None,
        target: str | None = None,
        after: int | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        statement = select(AuditRecord).order_by(col(AuditRecord.seq)).limit(limit)
        if agency_id is not None:
            statement = statement.where(AuditRecord.agency_id == agency_id)
        if actor is not None:
            statement = statement.where(AuditRecord.actor == actor)
        if target is not None:
            statement = statement.where(AuditRecord.target == target)
        if after is not None:
            statement = statement.where(col(AuditRecord.seq) > after)
        return list((await self.session.exec(statement)).all())

    # -- the system clock
    async def clock_record(self) -> ClockRecord | None:
        return await self.session.get(ClockRecord, 1)

    async def lock_clock(self) -> None:
        """Serialise clock changes (the first one inserts the row)."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CLOCK_LOCK})
