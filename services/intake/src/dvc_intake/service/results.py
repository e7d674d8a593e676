"""Results returned online: the agency's result documents, into the owner's data store."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.blob import BlobStore
from dvc_common.events.dossier import DOSSIER_RESULT_ATTACHED, DossierResultAttached, ResultDocument
from dvc_common.outbox import Outbox
from dvc_common.principal import Principal
from dvc_intake import errors
from dvc_intake.domain.permissions import may_issue_result
from dvc_intake.models import DossierFile
from dvc_intake.repository import IntakeRepository
from dvc_intake.scanning import NoScanner, Scanner
from dvc_intake.service.dossiers import readable_dossier
from dvc_intake.service.uploads import Limits, Upload, appended_files, check_uploads, store_uploads

log = logging.getLogger(__name__)


async def add_results(
    session: AsyncSession,
    outbox: Outbox,
    blobs: BlobStore,
    principal: Principal,
    code: str,
    uploads: Sequence[Upload],
    limits: Limits,
    *,
    scanner: Scanner | None = None,
) -> list[DossierFile]:
    """An officer of the handling agency attaches the result documents returned online: they land in
    the owner's data store (Kho quản lý dữ liệu điện tử) and can be reused in later dossiers.

    `dossier.result_attached.v1` (internal) goes out in the same transaction: workflow accepts an online
    return only once the electronic result is there, and the national portal lists the documents."""
    repo = IntakeRepository(session)
    dossier = await readable_dossier(repo, principal, code)
    if not may_issue_result(principal, agency_id=dossier.agency_id):
        raise errors.not_result_issuer()
    existing = await repo.dossier_files(code)
    checked = await check_uploads(uploads, limits)
    stored = await store_uploads(checked, blobs, scanner or NoScanner(), limits)
    files = appended_files(code, existing, stored, kind="result")
    session.add_all(files)
    await outbox.add(
        session,
        DOSSIER_RESULT_ATTACHED,
        DossierResultAttached(
            code=code,
            agency_id=dossier.agency_id,
            attached_at=clock.now(),
            documents=[
                ResultDocument(position=f.position, name=f.name, sha256=f.sha256, size=f.size) for f in files
            ],
        ),
        subject=code,
    )
    log.info("result documents stored", extra={"code": code, "files": len(files)})
    return files
