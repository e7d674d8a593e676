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
    repo: IntakeRepository, refs: Sequence[StoredDocumentRef], principal: Principal | None
) -> list[tuple[StoredDocumentRef, DossierFile]]:
    """The citizen's own earlier documents; someone else's (or a missing one) is refused alike.

    Reuse is the owner's own act on their data store. An officer (at the counter, naming the owner)
    may not reuse: no consent of the owner is recorded, and naming a dossier of another agency must
    never open its files."""
    if not refs:
        return []
    if principal is None:
        raise errors.reuse_needs_login()
    if principal.is_officer:
        raise errors.reuse_owner_only()
    owner_subject = principal.subject
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
