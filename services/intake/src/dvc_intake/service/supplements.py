"""Supplements: the requested components uploaded while the dossier waits for them."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.blob import BlobStore
from dvc_common.events import DOSSIER_RESUBMITTED, DossierResubmitted, NationalStatus
from dvc_common.outbox import Outbox
from dvc_common.principal import Principal
from dvc_intake import errors
from dvc_intake.domain.permissions import may_supplement
from dvc_intake.models import DossierFile
from dvc_intake.repository import IntakeRepository
from dvc_intake.scanning import NoScanner, Scanner
from dvc_intake.service.opening import submitted_files
from dvc_intake.service.uploads import Limits, Upload, appended_files, check_uploads, store_uploads

log = logging.getLogger(__name__)


async def supplement_dossier(
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
    """The applicant (or a one-stop officer of the agency for them) uploads the requested components
    while the dossier waits for a supplement (status 5); every earlier version stays with the dossier."""
    repo = IntakeRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None or not may_supplement(
        principal, agency_id=dossier.agency_id, owner_subject=dossier.owner_subject
    ):
        raise errors.dossier_not_found(code)
    if dossier.status != NationalStatus.SUPPLEMENT_REQUESTED:
        raise errors.not_awaiting_supplement(code, dossier.status_name)
    existing = await repo.dossier_files(code)
    checked = await check_uploads(uploads, limits, reused=0)
    stored = await store_uploads(checked, blobs, scanner or NoScanner(), limits)
    round_ = max((f.supplement_round for f in existing), default=0) + 1
    files = appended_files(code, existing, stored, supplement_round=round_)
    session.add_all(files)
    now = clock.now()
    await outbox.add(
        session,
        DOSSIER_RESUBMITTED,
        DossierResubmitted(
            code=code,
            procedure_code=dossier.procedure_code,
            agency_id=dossier.agency_id,
            resubmitted_at=now,
            supplement_round=round_,
            files=submitted_files(files),
        ),
        subject=code,
    )
    log.info("dossier supplemented", extra={"code": code, "round": round_, "files": len(files)})
    return files
