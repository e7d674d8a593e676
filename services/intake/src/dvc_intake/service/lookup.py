"""The public look-up of a dossier by its code (and the QR code's target)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_intake import errors
from dvc_intake.domain.codes import is_dossier_code
from dvc_intake.models import Dossier
from dvc_intake.repository import IntakeRepository


@dataclass(frozen=True)
class Lookup:
    dossier: Dossier
    procedure_name: str | None
    agency_name: str | None


async def lookup(session: AsyncSession, code: str) -> Lookup:
    """The public look-up (and the QR code's target): status and dates, no personal data."""
    if not is_dossier_code(code):
        raise errors.invalid_dossier_code()
    repo = IntakeRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise errors.dossier_not_found(code)
    procedure = await repo.procedure(dossier.procedure_code)
    return Lookup(
        dossier, procedure.name if procedure else None, procedure.agency_name if procedure else None
    )
