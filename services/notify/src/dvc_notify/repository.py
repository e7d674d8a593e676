"""All of notify's SQL."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_notify.models import Contact, Delivery


class NotifyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save_contact(self, contact: Contact) -> None:
        await self.session.merge(contact)

    async def contact(self, dossier_code: str) -> Contact | None:
        return await self.session.get(Contact, dossier_code)

    def add_delivery(self, delivery: Delivery) -> None:
        self.session.add(delivery)

    async def deliveries(self, dossier_code: str) -> list[Delivery]:
        rows = await self.session.exec(
            select(Delivery).where(Delivery.dossier_code == dossier_code).order_by(col(Delivery.id))
        )
        return list(rows.all())
