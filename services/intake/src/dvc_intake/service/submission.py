"""Submitting a dossier (online, or at the counter by a one-stop officer): the checks, the code, the
events announcing it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.blob import BlobStore
from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_SUBMITTED,
    NATIONAL_STATUS_NAMES,
    DossierContactRegistered,
    DossierSubmitted,
    SubmittedFile,
)
from dvc_common.outbox import Outbox
from dvc_common.problems import Problem
from dvc_intake.domain.codes import dossier_code
from dvc_intake.domain.eform import eform_errors
from dvc_intake.models import Dossier, DossierFile, Procedure
from dvc_intake.repository import IntakeRepository
from dvc_intake.scanning import NoScanner, Scanner
from dvc_intake.schemas import DossierForm
from dvc_intake.service.data_store import reused_documents
from dvc_intake.service.uploads import Limits, Upload, check_signed_form, check_uploads, store_uploads

log = logging.getLogger(__name__)


def _check_eform(procedure: Procedure, form: DossierForm) -> None:
    """The e-form against the procedure's JSON Schema; the result delivery among those offered."""
    if procedure.form_schema is not None:
        errors = eform_errors(procedure.form_schema, form.eform)
        if errors:
            raise Problem(
                422,
                "invalid-eform",
                "Tờ khai điện tử không hợp lệ",
                "Vui lòng sửa các mục của tờ khai được liệt kê trong `errors`.",
                errors=errors,
            )
    offered = procedure.result_delivery or []
    if form.result_delivery and offered and form.result_delivery not in offered:
        raise Problem(
            422,
            "result-delivery-not-offered",
            "Hình thức nhận kết quả không áp dụng",
            f"Thủ tục này trả kết quả qua: {', '.join(offered)}.",
        )


async def submit_dossier(
    session: AsyncSession,
    outbox: Outbox,
    blobs: BlobStore,
    form: DossierForm,
    uploads: Sequence[Upload],
    limits: Limits,
    *,
    owner_subject: str | None = None,
    scanner: Scanner | None = None,
    counter_officer: bool = False,
) -> Dossier:
    repo = IntakeRepository(session)
    procedure = await repo.procedure(form.procedure_code)
    if procedure is None:
        raise Problem(
            422,
            "unknown-procedure",
            "Thủ tục không tồn tại",
            f"Không tìm thấy thủ tục hành chính có mã «{form.procedure_code}» trong danh mục đang áp dụng.",
        )
    _check_eform(procedure, form)
    if form.channel == 1 and not counter_officer:
        raise Problem(
            403,
            "counter-only",
            "Chỉ cán bộ một cửa nộp trực tiếp",
            "Hồ sơ nộp trực tiếp (kênh 1) do cán bộ Bộ phận Một cửa tiếp nhận và số hoá.",
        )
    if form.digitised and form.channel != 1:
        raise Problem(
            422, "digitised-counter-only", "Số hoá chỉ ở quầy", "Chỉ hồ sơ nộp trực tiếp mới ghi nhận số hoá."
        )
    if form.digitised and not set(form.digitised) <= set(range(1, len(uploads) + 1)):
        raise Problem(
            422,
            "invalid-digitised",
            "Số thứ tự tệp số hoá không hợp lệ",
            "`digitised` chỉ gồm số thứ tự các tệp gửi kèm.",
        )
    if counter_officer and form.owner_subject:
        owner_subject = form.owner_subject
    reused = await reused_documents(repo, form.reuse, owner_subject)
    checked = await check_uploads(uploads, limits, reused=len(reused))
    if procedure.signature_required:
        await check_signed_form(checked, reused)
    stored_files = await store_uploads(checked, blobs, scanner or NoScanner(), limits)
    # The code is taken last: the per-agency counter row stays locked only from here to the commit,
    # never during uploads, and a refused submission rolls the counter back (no gap).
    now = datetime.now(UTC)
    day = now.astimezone(limits.timezone).date()
    code = dossier_code(procedure.agency_id, day, await repo.next_code_sequence(procedure.agency_id, day))
    files = [
        DossierFile(
            dossier_code=code,
            position=position,
            name=item.name,
            content_type=item.content_type,
            size=size,
            sha256=sha256,
            scan_status=scan_status,
            digitised=position in form.digitised,
            signed=item.signed,
        )
        for position, (item, size, sha256, scan_status) in enumerate(stored_files, start=1)
    ]
    for offset, (ref, earlier) in enumerate(reused, start=len(files) + 1):
        files.append(
            DossierFile(
                dossier_code=code,
                position=offset,
                name=earlier.name,
                content_type=earlier.content_type,
                size=earlier.size,
                sha256=earlier.sha256,
                scan_status=earlier.scan_status,
                digitised=earlier.digitised,
                signed=earlier.signed,
                reused_from=f"{ref.dossier_code}#{ref.position}",
            )
        )
    dossier = Dossier(
        code=code,
        procedure_code=procedure.code,
        agency_id=procedure.agency_id,
        applicant_name=form.applicant_name,
        email=str(form.email) if form.email else None,
        phone=form.phone,
        channel=form.channel,
        applicant_kind=form.applicant_kind,
        status=1,
        status_name=NATIONAL_STATUS_NAMES[1],
        submitted_at=now,
        updated_at=now,
        owner_subject=owner_subject,
        eform=form.eform,
        result_delivery=form.result_delivery,
        postal_address=form.postal_address,
    )
    repo.add_dossier(dossier, files)
    # The contact goes first, on the internal exchange: notify needs it before the first status change.
    await outbox.add(
        session,
        DOSSIER_CONTACT_REGISTERED,
        DossierContactRegistered(
            code=code,
            applicant_name=dossier.applicant_name,
            email=dossier.email,
            phone=dossier.phone,
            channels=list(dict.fromkeys(form.notify_channels)) if form.notify_channels else None,
        ),
        subject=code,
    )
    await outbox.add(
        session,
        DOSSIER_SUBMITTED,
        DossierSubmitted(
            code=code,
            procedure_code=procedure.code,
            agency_id=procedure.agency_id,
            channel=form.channel,
            applicant_kind=form.applicant_kind,
            submitted_at=now,
            files=[
                SubmittedFile(name=f.name, content_type=f.content_type, size=f.size, sha256=f.sha256)
                for f in files
            ],
            owner_subject=owner_subject,
        ),
        subject=code,
    )
    log.info("dossier submitted", extra={"code": code, "procedure": procedure.code, "files": len(files)})
    return dossier
