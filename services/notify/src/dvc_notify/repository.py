"""All of notify's SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_notify.models import (
    AgencyName,
    Contact,
    Delivery,
    DossierWork,
    NotifiedEvent,
    OfficerContact,
    ProcedureName,
    Template,
    ZaloToken,
)


class NotifyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---------------------------------------------------------------- contacts

    async def save_contact(self, contact: Contact) -> None:
        await self.session.merge(contact)

    async def contact(self, dossier_code: str) -> Contact | None:
        return await self.session.get(Contact, dossier_code)

    # ---------------------------------------------------------------- local copies (catalog, agencies, officers)

    async def save(self, row: ProcedureName | AgencyName | OfficerContact | DossierWork) -> None:
        await self.session.merge(row)

    async def procedure(self, code: str) -> ProcedureName | None:
        return await self.session.get(ProcedureName, code)

    async def agency(self, agency_id: str) -> AgencyName | None:
        return await self.session.get(AgencyName, agency_id)

    async def dossier(self, code: str) -> DossierWork | None:
        return await self.session.get(DossierWork, code)

    async def officer(self, officer_id: str) -> OfficerContact | None:
        return await self.session.get(OfficerContact, officer_id)

    async def officers(self, agency_id: str) -> list[OfficerContact]:
        """The active officers of an agency with an e-mail address, by name."""
        rows = await self.session.exec(
            select(OfficerContact)
            .where(
                OfficerContact.agency_id == agency_id,
                col(OfficerContact.active).is_(True),
                col(OfficerContact.email).is_not(None),
            )
            .order_by(col(OfficerContact.name), col(OfficerContact.officer_id))
        )
        return list(rows.all())

    # ---------------------------------------------------------------- deliveries

    async def keep_event(self, event_id: UUID, event: dict[str, Any]) -> None:
        await self.session.execute(
            insert(NotifiedEvent)
            .values(event_id=event_id, event=event, received_at=clock.now())
            .on_conflict_do_nothing()
        )

    async def notified_event(self, event_id: UUID) -> dict[str, Any] | None:
        row = await self.session.get(NotifiedEvent, event_id)
        return dict(row.event) if row else None

    async def enqueue(self, delivery: Delivery) -> int | None:
        """Insert unless this event already has a delivery to this recipient on this channel."""
        values = delivery.model_dump(exclude={"id"})
        statement = (
            insert(Delivery)
            .values(**values)
            .on_conflict_do_nothing(constraint="uq_notify_delivery_event_channel_recipient")
            .returning(col(Delivery.id))
        )
        result = await self.session.execute(statement)
        row = result.first()
        return int(row[0]) if row else None

    async def claim_due(self, limit: int, lease_seconds: float) -> list[Delivery]:
        """Claim due deliveries (queued, or sending with an expired lease after a crash) for this worker."""
        result = await self.session.execute(
            text(
                "UPDATE notify_delivery SET status = 'sending', attempts = attempts + 1,"
                " lease_until = now() + make_interval(secs => :lease), updated_at = :now"
                " WHERE id IN (SELECT id FROM notify_delivery"
                "   WHERE (status = 'queued' AND next_attempt_at <= :now)"
                "      OR (status = 'sending' AND lease_until < now())"
                "   ORDER BY next_attempt_at, id LIMIT :n FOR UPDATE SKIP LOCKED)"
                " RETURNING *"
            ),
            # Due by the system clock (next_attempt_at is stamped with it); the crash lease is the
            # database's own clock on both sides.
            {"lease": lease_seconds, "n": limit, "now": clock.now()},
        )
        return [Delivery.model_validate(dict(row._mapping)) for row in result.all()]

    async def finish(
        self,
        delivery_id: int,
        *,
        status: str,
        next_attempt_at: datetime | None,
        reason: str | None,
        provider_answer: str,
        sent: bool,
    ) -> bool:
        """Record the outcome of a send, only if this worker's claim still holds (status 'sending')."""
        now = clock.now()
        result = await self.session.execute(
            text(
                "UPDATE notify_delivery SET status = :status, next_attempt_at = coalesce(:next, next_attempt_at),"
                " reason = :reason, provider_answer = :answer, lease_until = NULL, updated_at = :now,"
                " sent_at = CASE WHEN :sent THEN :now ELSE sent_at END"
                " WHERE id = :id AND status = 'sending'"
            ),
            {
                "status": status,
                "next": next_attempt_at,
                "reason": reason,
                "answer": provider_answer[:2000],
                "now": now,
                "sent": sent,
                "id": delivery_id,
            },
        )
        return bool(getattr(result, "rowcount", 0))

    async def delivery(self, delivery_id: int) -> Delivery | None:
        return await self.session.get(Delivery, delivery_id)

    async def deliveries(self, dossier_code: str) -> list[Delivery]:
        rows = await self.session.exec(
            select(Delivery).where(Delivery.dossier_code == dossier_code).order_by(col(Delivery.id))
        )
        return list(rows.all())

    async def deliveries_by_status(
        self, status: str, *, after_id: int, limit: int, agency_id: str | None = None
    ) -> list[Delivery]:
        """One page in `status`; only the agency's rows when `agency_id` is given."""
        query = select(Delivery).where(Delivery.status == status, col(Delivery.id) > after_id)
        if agency_id is not None:
            query = query.where(Delivery.agency_id == agency_id)
        rows = await self.session.exec(query.order_by(col(Delivery.id)).limit(limit))
        return list(rows.all())

    async def status_counts(self, agency_id: str | None = None) -> dict[str, int]:
        query = select(Delivery.status, func.count()).group_by(Delivery.status)
        if agency_id is not None:
            query = query.where(Delivery.agency_id == agency_id)
        result = await self.session.execute(query)
        return {str(status): int(count) for status, count in result.all()}

    # ---------------------------------------------------------------- templates

    async def current_template(self, event_type: str, channel: str) -> Template | None:
        rows = await self.session.exec(
            select(Template)
            .where(Template.event_type == event_type, Template.channel == channel)
            .order_by(col(Template.version).desc())
            .limit(1)
        )
        return rows.first()

    async def template_versions(self, event_type: str, channel: str) -> list[Template]:
        rows = await self.session.exec(
            select(Template)
            .where(Template.event_type == event_type, Template.channel == channel)
            .order_by(col(Template.version).desc())
        )
        return list(rows.all())

    async def current_templates(self) -> list[Template]:
        rows = await self.session.exec(
            select(Template)
            .distinct(col(Template.event_type), col(Template.channel))
            .order_by(col(Template.event_type), col(Template.channel), col(Template.version).desc())
        )
        return list(rows.all())

    async def add_template_version(self, values: dict[str, Any]) -> Template | None:
        """Insert the given version; None when another writer took that version number first."""
        statement = insert(Template).values(**values).on_conflict_do_nothing().returning(col(Template.id))
        row = (await self.session.execute(statement)).first()
        if row is None:
            return None
        return await self.session.get(Template, int(row[0]))

    async def lock_template_key(self, event_type: str, channel: str) -> None:
        """Serialise writers of one template (transaction-level advisory lock)."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"notify-template:{event_type}:{channel}"},
        )

    # ---------------------------------------------------------------- Zalo tokens

    async def zalo_token_for_update(self, seed_refresh_token: str) -> ZaloToken:
        """The token row, locked; created from the configured refresh token the first time."""
        await self.session.execute(
            insert(ZaloToken)
            .values(id=1, refresh_token=seed_refresh_token, updated_at=clock.now())
            .on_conflict_do_nothing()
        )
        rows = await self.session.exec(select(ZaloToken).where(ZaloToken.id == 1).with_for_update())
        return rows.one()

    async def save_zalo_token(self, access_token: str, refresh_token: str, expires_at: datetime) -> None:
        await self.session.merge(
            ZaloToken(
                id=1,
                access_token=access_token,
                refresh_token=refresh_token,
                expires_at=expires_at,
                updated_at=clock.now(),
            )
        )
