"""The citizen's data store (Kho quản lý dữ liệu điện tử): their dossiers, documents and receipts, and
documents reused from it in a new submission."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.principal import Principal
from dvc_intake import errors
from dvc_intake.models import Dossier, DossierFile, PaymentReceipt
from dvc_intake.repository import IntakeRepository
from dvc_intake.schemas import StoredDocumentRef


async def reused_documents(
    repo: IntakeRepository, refs: Sequence[StoredDocumentRef], owner_subject: str | None
) -> list[tuple[StoredDocumentRef, DossierFile]]:
    """The citizen's own earlier documents; someone else's (or a missing one) is refused alike."""
    if refs and owner_subject is None:
        raise errors.reuse_needs_login()
    found: list[tuple[StoredDocumentRef, DossierFile]] = []
    for ref in refs:
        earlier = await repo.dossier(ref.dossier_code)
        file = None
        if earlier is not None and earlier.owner_subject == owner_subject:
            file = next(
                (f for f in await repo.dossier_files(ref.dossier_code) if f.position == ref.position), None
            )
        if file is None or file.scan_status != "clean":
            raise errors.stored_document_not_found(ref.dossier_code, ref.position)
        found.append((ref, file))
    return found


async def my_dossiers(session: AsyncSession, principal: Principal) -> list[Dossier]:
    """The citizen's (or organisation's) own dossiers, newest first (Kho quản lý dữ liệu điện tử)."""
    if principal.is_officer:
        raise errors.citizens_only("kho hồ sơ")
    return await IntakeRepository(session).dossiers_of(principal.subject)


async def stored_documents(session: AsyncSession, principal: Principal) -> list[tuple[Dossier, DossierFile]]:
    """The citizen's data store: every clean document of their dossiers, newest dossier first."""
    repo = IntakeRepository(session)
    found: list[tuple[Dossier, DossierFile]] = []
    for dossier in await my_dossiers(session, principal):
        found += [(dossier, f) for f in await repo.dossier_files(dossier.code) if f.scan_status == "clean"]
    return found


async def my_receipts(session: AsyncSession, principal: Principal) -> list[PaymentReceipt]:
    """The citizen's data store: receipts of fees they paid, newest first."""
    if principal.is_officer:
        raise errors.citizens_only("kho dữ liệu")
    return await IntakeRepository(session).receipts_paid_by(principal.subject)
