"""What every new dossier goes through, whichever channel it came by: its code, and the events that
announce it (the contact first, on the internal exchange: notify needs it before the first status
change; then dossier.submitted.v1)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_SUBMITTED,
    DossierContactRegistered,
    DossierSubmitted,
    SubmittedFile,
)
from dvc_common.outbox import Outbox
from dvc_intake.domain.codes import dossier_code
from dvc_intake.models import Dossier, DossierFile
from dvc_intake.repository import IntakeRepository


async def take_code(repo: IntakeRepository, agency_id: str, day: date) -> str:
    """The next code of the agency's day; its counter row stays locked until the commit."""
    return dossier_code(agency_id, day, await repo.next_code_sequence(agency_id, day))


def submitted_files(files: list[DossierFile]) -> list[SubmittedFile]:
    return [
        SubmittedFile(name=f.name, content_type=f.content_type, size=f.size, sha256=f.sha256) for f in files
    ]


async def announce_opened(
    session: AsyncSession,
    outbox: Outbox,
    dossier: Dossier,
    files: list[DossierFile],
    *,
    channels: list[Literal["email", "zalo"]] | None = None,
    national_reference: str | None = None,
) -> None:
    await outbox.add(
        session,
        DOSSIER_CONTACT_REGISTERED,
        DossierContactRegistered(
            code=dossier.code,
            applicant_name=dossier.applicant_name,
            email=dossier.email,
            phone=dossier.phone,
            channels=channels,
        ),
        subject=dossier.code,
    )
    await outbox.add(
        session,
        DOSSIER_SUBMITTED,
        DossierSubmitted(
            code=dossier.code,
            procedure_code=dossier.procedure_code,
            agency_id=dossier.agency_id,
            channel=dossier.channel,
            applicant_kind=dossier.applicant_kind,
            submitted_at=dossier.submitted_at,
            files=submitted_files(files),
            national_reference=national_reference,
            owner_subject=dossier.owner_subject,
            result_delivery=dossier.result_delivery,
        ),
        subject=dossier.code,
    )
