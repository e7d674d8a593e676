"""Reading a dossier: its detail, its documents, and the read check that slips, receipts and results
share (owner, handling agency, auditors; the same 404 for anyone else)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.access import DossierFacts, may_read_dossier
from dvc_common.principal import Principal
from dvc_intake import errors
from dvc_intake.models import Dossier, DossierFile
from dvc_intake.repository import IntakeRepository


@dataclass(frozen=True)
class DossierView:
    dossier: Dossier
    procedure_name: str | None
    files: list[DossierFile]


async def get_dossier(session: AsyncSession, code: str, principal: Principal | None = None) -> DossierView:
    repo = IntakeRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise errors.dossier_not_found(code)
    if dossier.owner_subject is not None and (principal is None or not _may_read(principal, dossier)):
        raise errors.dossier_not_found(code)
    procedure = await repo.procedure(dossier.procedure_code)
    return DossierView(dossier, procedure.name if procedure else None, await repo.dossier_files(code))


async def readable_dossier(repo: IntakeRepository, principal: Principal, code: str) -> Dossier:
    """The dossier, if `principal` may read it (owner, handling agency, auditors); otherwise the same
    404 as for a dossier that does not exist (no existence oracle)."""
    dossier = await repo.dossier(code)
    if dossier is None or not _may_read(principal, dossier):
        raise errors.dossier_not_found(code)
    return dossier


def _may_read(principal: Principal, dossier: Dossier) -> bool:
    return may_read_dossier(principal, DossierFacts.of(dossier.agency_id, dossier.owner_subject))


async def readable_file(session: AsyncSession, principal: Principal, code: str, position: int) -> DossierFile:
    """A dossier's document, for its owner, officers of the handling agency and auditors only.
    Anyone else gets the same 404 as for a dossier that does not exist (no existence oracle)."""
    repo = IntakeRepository(session)
    await readable_dossier(repo, principal, code)
    found = [f for f in await repo.dossier_files(code) if f.position == position]
    if not found:
        raise errors.file_not_found(code, position)
    if found[0].scan_status != "clean":
        raise errors.file_quarantined()
    return found[0]
