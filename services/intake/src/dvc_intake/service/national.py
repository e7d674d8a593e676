"""Dossiers submitted on the national portal (national.dossier_received.v1, fetched by sync-national)."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.events import NationalDossierReceived, NationalStatus
from dvc_common.outbox import Outbox
from dvc_intake.models import Dossier, DossierFile
from dvc_intake.repository import IntakeRepository
from dvc_intake.service.opening import announce_opened, take_code

log = logging.getLogger(__name__)


class ProcedureNotKnownYet(Exception):
    """A national dossier for a procedure our catalog copy does not hold (yet): retry later."""


async def receive_national_dossier(
    session: AsyncSession, outbox: Outbox, timezone: ZoneInfo, national: NationalDossierReceived
) -> Dossier:
    """A dossier submitted on the national portal (channel 2, online) is opened like any submission:
    intake assigns the code and announces it; its documents stay on the national portal."""
    repo = IntakeRepository(session)
    procedure = await repo.procedure(national.procedure_code)
    if procedure is None:
        raise ProcedureNotKnownYet(
            f"hồ sơ {national.national_reference}: thủ tục {national.procedure_code} chưa có trong danh mục"
        )
    now = clock.now()
    day = now.astimezone(timezone).date()
    code = await take_code(repo, procedure.agency_id, day)
    files = [
        DossierFile(
            dossier_code=code,
            position=position,
            name=f.name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
        )
        for position, f in enumerate(national.files, start=1)
    ]
    dossier = Dossier(
        code=code,
        procedure_code=procedure.code,
        agency_id=procedure.agency_id,
        applicant_name=national.applicant_name,
        email=str(national.email) if national.email else None,
        phone=national.phone,
        channel=2,
        applicant_kind=national.applicant_kind,
        status=NationalStatus.NEW,
        status_name=NationalStatus.NEW.label_vi,
        submitted_at=national.submitted_at,
        updated_at=now,
    )
    repo.add_dossier(dossier, files)
    await announce_opened(session, outbox, dossier, files, national_reference=national.national_reference)
    log.info(
        "national portal dossier received",
        extra={"code": code, "national_reference": national.national_reference, "procedure": procedure.code},
    )
    return dossier
