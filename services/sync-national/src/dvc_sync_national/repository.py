"""All of sync-national's SQL."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_sync_national.models import Dossier, Procedure, Push


class SyncRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save_procedure(self, procedure: Procedure) -> None:
        await self.session.merge(procedure)

    async def procedure(self, code: str) -> Procedure | None:
        return await self.session.get(Procedure, code)

    async def dossier_for_update(self, code: str) -> Dossier:
        """The dossier row, locked for this transaction (created empty when first seen)."""
        dossier = await self.session.get(Dossier, code, with_for_update=True)
        if dossier is None:
            dossier = Dossier(code=code)
            self.session.add(dossier)
            await self.session.flush()
        return dossier

    def add_push(self, push: Push) -> None:
        self.session.add(push)
