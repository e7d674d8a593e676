"""Intake use-cases. They never commit: the request or message boundary does."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.auth import Principal
from dvc_common.blob import BlobStore, BlobTooLarge, EmptyBlob
from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_SUBMITTED,
    NATIONAL_STATUS_NAMES,
    CloudEvent,
    DossierContactRegistered,
    DossierStatusChanged,
    DossierSubmitted,
    NationalDossierReceived,
    ProcedurePublished,
    SubmittedFile,
)
from dvc_common.events.catalog import (
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_RESUBMITTED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DossierMilestone,
    DossierReceived,
    DossierResubmitted,
    PaymentReceiptIssued,
)
from dvc_common.outbox import Outbox
from dvc_common.problems import Problem
from dvc_intake.domain.access import may_issue_result, may_read, may_supplement
from dvc_intake.domain.codes import dossier_code, is_dossier_code
from dvc_intake.domain.documents import (
    ACCEPTED_DESCRIPTION,
    UnsafeFileName,
    extension_matches,
    is_dangerous,
    sanitise_file_name,
    sniff_content_type,
)
from dvc_intake.domain.eform import eform_errors
from dvc_intake.models import Dossier, DossierFile, PaymentReceipt, Procedure, Slip
from dvc_intake.repository import IntakeRepository
from dvc_intake.scanning import NoScanner, Scanner, ScannerUnavailable
from dvc_intake.signatures import pdf_is_signed
from dvc_intake.slips import SlipData, SlipForm, render

log = logging.getLogger(__name__)

PHONE_PATTERN = r"^(\+84|0)[0-9]{9,10}$"


class StoredDocumentRef(BaseModel):
    """A document of one of the citizen's earlier dossiers (their data store), reused by reference."""

    model_config = ConfigDict(extra="forbid")

    dossier_code: str = Field(min_length=1, max_length=40)
    position: int = Field(ge=1, le=100)


class DossierForm(BaseModel):
    """The JSON part `dossier` of a submission."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    procedure_code: str = Field(min_length=1, max_length=64, description="Mã thủ tục hành chính")
    applicant_name: str = Field(min_length=2, max_length=200, description="Họ và tên người nộp")
    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN, description="Số điện thoại di động")
    channel: int = Field(default=2, ge=1, le=3, description="1 trực tiếp, 2 trực tuyến, 3 bưu chính")
    applicant_kind: int = Field(
        default=1, ge=1, le=4, description="1 công dân, 2 doanh nghiệp, 3 cơ quan, 4 khác"
    )
    reuse: list[StoredDocumentRef] = Field(
        default_factory=list,
        description="Giấy tờ đã có trong kho dữ liệu của công dân, dùng lại không phải nộp lại",
        max_length=20,
    )
    digitised: list[int] = Field(
        default_factory=list,
        description="Nộp trực tiếp: số thứ tự các tệp là bản số hoá giấy tờ giấy do cán bộ một cửa quét",
    )
    owner_subject: str | None = Field(
        default=None,
        max_length=128,
        description="Nộp trực tiếp: định danh VNeID của người nộp, để hồ sơ vào kho dữ liệu của họ",
    )
    eform: dict[str, Any] | None = Field(
        default=None,
        description="Tờ khai điện tử, theo JSON Schema của thủ tục (GET /api/v1/procedures/{code})",
    )
    result_delivery: Literal["online", "counter", "post"] | None = Field(
        default=None, description="Nhận kết quả: trực tuyến, tại Bộ phận Một cửa, qua bưu chính"
    )
    postal_address: str | None = Field(
        default=None, min_length=10, max_length=300, description="Địa chỉ nhận kết quả qua bưu chính"
    )
    notify_channels: list[Literal["email", "zalo"]] | None = Field(
        default=None,
        description="Kênh nhận thông báo: email, zalo (mặc định: thư điện tử nếu có địa chỉ)",
    )

    @model_validator(mode="after")
    def _post_has_address(self) -> DossierForm:
        if self.result_delivery == "post" and not self.postal_address:
            raise ValueError("Chọn nhận kết quả qua bưu chính thì phải khai địa chỉ nhận")
        return self

    @model_validator(mode="after")
    def _channels_have_addresses(self) -> DossierForm:
        if self.notify_channels and "email" in self.notify_channels and not self.email:
            raise ValueError("Chọn nhận thông báo qua thư điện tử thì phải khai địa chỉ thư điện tử")
        if self.notify_channels and "zalo" in self.notify_channels and not self.phone:
            raise ValueError("Chọn nhận thông báo qua Zalo thì phải khai số điện thoại")
        return self


class Upload(Protocol):
    """What a submitted file offers (FastAPI's UploadFile satisfies it)."""

    filename: str | None
    size: int | None

    async def read(self, size: int = -1) -> bytes: ...

    async def seek(self, offset: int) -> None: ...


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_files: int
    timezone: ZoneInfo


CHUNK = 256 * 1024


async def _chunks(upload: Upload) -> AsyncIterator[bytes]:
    await upload.seek(0)
    while chunk := await upload.read(CHUNK):
        yield chunk


def _file_problem(
    status: int, slug: str, title: str, detail: str, name: str, content_type: str | None = None
) -> Problem:
    if content_type is None:
        return Problem(status, slug, title, detail, file=name)
    return Problem(status, slug, title, detail, file=name, content_type=content_type)


@dataclass
class CheckedUpload:
    upload: Upload
    name: str
    content_type: str
    signed: bool = False


async def _stored_documents(
    repo: IntakeRepository, refs: Sequence[StoredDocumentRef], owner_subject: str | None
) -> list[tuple[StoredDocumentRef, DossierFile]]:
    """The citizen's own earlier documents; someone else's (or a missing one) is refused alike."""
    if refs and owner_subject is None:
        raise Problem(
            401,
            "reuse-needs-login",
            "Cần đăng nhập",
            "Dùng lại giấy tờ trong kho dữ liệu cần đăng nhập bằng tài khoản định danh điện tử (VNeID).",
        )
    found: list[tuple[StoredDocumentRef, DossierFile]] = []
    for ref in refs:
        earlier = await repo.dossier(ref.dossier_code)
        file = None
        if earlier is not None and earlier.owner_subject == owner_subject:
            file = next(
                (f for f in await repo.dossier_files(ref.dossier_code) if f.position == ref.position), None
            )
        if file is None or file.scan_status != "clean":
            raise Problem(
                422,
                "stored-document-not-found",
                "Không tìm thấy giấy tờ trong kho dữ liệu",
                f"Kho dữ liệu của bạn không có tệp số {ref.position} của hồ sơ «{ref.dossier_code}».",
                dossier_code=ref.dossier_code,
                position=ref.position,
            )
        found.append((ref, file))
    return found


async def _check_signed_form(
    checked: list[CheckedUpload], reused: list[tuple[StoredDocumentRef, DossierFile]]
) -> None:
    """The procedure requires a digitally signed form: at least one PDF must carry a signature."""
    for item in checked:
        if item.content_type == "application/pdf":
            await item.upload.seek(0)
            item.signed = await asyncio.to_thread(pdf_is_signed, await item.upload.read())
    if not any(item.signed for item in checked) and not any(f.signed for _, f in reused):
        raise Problem(
            422,
            "signature-required",
            "Tờ khai phải được ký số",
            "Thủ tục này yêu cầu tờ khai (PDF) có chữ ký số; tệp đã gửi không có chữ ký số hợp lệ.",
        )


async def _check_uploads(
    uploads: Sequence[Upload], limits: Limits, *, reused: int = 0
) -> list[CheckedUpload]:
    """Validate every file before anything is stored: name, size, type proven by the content and
    agreeing with the name's extension."""
    if not uploads and not reused:
        raise Problem(
            422, "no-files", "Thiếu tài liệu", "Hồ sơ phải có ít nhất một tệp đính kèm (trường `files`)."
        )
    if len(uploads) + reused > limits.max_files:
        raise Problem(
            422, "too-many-files", "Quá nhiều tệp", f"Mỗi hồ sơ được đính kèm tối đa {limits.max_files} tệp."
        )
    checked: list[CheckedUpload] = []
    for position, upload in enumerate(uploads, start=1):
        try:
            name = sanitise_file_name(upload.filename, f"tep-{position}")
        except UnsafeFileName as exc:
            raise _file_problem(
                422,
                "unsafe-file-name",
                "Tên tệp không hợp lệ",
                "Tên tệp không được chứa đường dẫn (/, \\, ..) hay ký tự ổ đĩa.",
                upload.filename or "",
            ) from exc
        if not upload.size:
            raise _file_problem(422, "empty-file", "Tệp rỗng", f"Tệp «{name}» không có nội dung.", name)
        if upload.size > limits.max_file_bytes:
            raise _file_problem(
                413,
                "file-too-large",
                "Tệp quá lớn",
                f"Tệp «{name}» vượt quá dung lượng cho phép {limits.max_file_bytes // (1024 * 1024)} MB.",
                name,
            )
        await upload.seek(0)
        head = await upload.read(64)
        content_type = sniff_content_type(head)
        if content_type is None or is_dangerous(head):
            raise _file_problem(
                415,
                "unsupported-file-type",
                "Định dạng tệp không được chấp nhận",
                f"Tệp «{name}» không phải {ACCEPTED_DESCRIPTION}.",
                name,
            )
        if not extension_matches(name, content_type):
            raise _file_problem(
                415,
                "file-type-mismatch",
                "Phần mở rộng không khớp nội dung tệp",
                f"Tệp «{name}» có nội dung {content_type}, không khớp với phần mở rộng của tên tệp.",
                name,
                content_type=content_type,
            )
        checked.append(CheckedUpload(upload, name, content_type))
    return checked


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


async def _store_uploads(
    checked: list[CheckedUpload], blobs: BlobStore, scanner: Scanner, limits: Limits
) -> list[tuple[CheckedUpload, int, str, str]]:
    """Scan, then store each checked upload: (upload, size, sha256, scan status)."""
    stored_files: list[tuple[CheckedUpload, int, str, str]] = []
    for item in checked:
        scan_status = "clean"
        try:
            result = await scanner.scan(_chunks(item.upload))
        except ScannerUnavailable:
            log.warning("antivirus scanner unavailable: document kept in quarantine")
            scan_status = "quarantined"
        else:
            if result.verdict == "infected":
                raise _file_problem(
                    422,
                    "infected-file",
                    "Tệp nhiễm mã độc",
                    f"Tệp «{item.name}» bị phần mềm diệt virus phát hiện mã độc ({result.signature}).",
                    item.name,
                )
        try:
            stored = await blobs.put(_chunks(item.upload), max_size=limits.max_file_bytes)
        except (BlobTooLarge, EmptyBlob) as exc:  # the spooled size lied; the stream is the truth
            raise _file_problem(
                422, "invalid-file", "Tệp không hợp lệ", f"Tệp «{item.name}»: {exc}", item.name
            ) from exc
        stored_files.append((item, stored.size, stored.sha256, scan_status))
    return stored_files


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
    reused = await _stored_documents(repo, form.reuse, owner_subject)
    checked = await _check_uploads(uploads, limits, reused=len(reused))
    if procedure.signature_required:
        await _check_signed_form(checked, reused)
    stored_files = await _store_uploads(checked, blobs, scanner or NoScanner(), limits)
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


@dataclass(frozen=True)
class DossierView:
    dossier: Dossier
    procedure_name: str | None
    files: list[DossierFile]


async def get_dossier(session: AsyncSession, code: str, principal: Principal | None = None) -> DossierView:
    repo = IntakeRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise _not_found(code)
    if dossier.owner_subject is not None and (
        principal is None
        or not may_read(principal, agency_id=dossier.agency_id, owner_subject=dossier.owner_subject)
    ):
        raise _not_found(code)
    procedure = await repo.procedure(dossier.procedure_code)
    return DossierView(dossier, procedure.name if procedure else None, await repo.dossier_files(code))


async def record_procedure(session: AsyncSession, event: CloudEvent) -> None:
    published = ProcedurePublished.model_validate(event.data)
    await IntakeRepository(session).upsert_procedure(
        Procedure(
            code=published.code,
            name=published.name,
            agency_id=published.agency_id,
            agency_name=published.agency_name,
            processing_time_value=published.processing_time.value,
            processing_time_unit=published.processing_time.unit,
            online_level=published.online_level,
            revision=published.revision,
            signature_required=published.signature_required,
            form_schema=published.form_schema,
            result_delivery=list(published.result_delivery),
            updated_at=event.time,
        )
    )
    log.info("procedure recorded", extra={"procedure": published.code, "revision": published.revision})


class ProcedureNotKnownYet(Exception):
    """A national dossier for a procedure our catalog copy does not hold (yet): retry later."""


async def receive_national_dossier(
    session: AsyncSession, outbox: Outbox, timezone: ZoneInfo, event: CloudEvent
) -> Dossier:
    """A dossier submitted on the national portal (channel 2, online) is opened like any submission:
    intake assigns the code and announces it; its documents stay on the national portal."""
    national = NationalDossierReceived.model_validate(event.data)
    repo = IntakeRepository(session)
    procedure = await repo.procedure(national.procedure_code)
    if procedure is None:
        raise ProcedureNotKnownYet(
            f"hồ sơ {national.national_reference}: thủ tục {national.procedure_code} chưa có trong danh mục"
        )
    now = datetime.now(UTC)
    day = now.astimezone(timezone).date()
    code = dossier_code(procedure.agency_id, day, await repo.next_code_sequence(procedure.agency_id, day))
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
        status=1,
        status_name=NATIONAL_STATUS_NAMES[1],
        submitted_at=national.submitted_at,
        updated_at=now,
    )
    repo.add_dossier(dossier, files)
    await outbox.add(
        session,
        DOSSIER_CONTACT_REGISTERED,
        DossierContactRegistered(
            code=code, applicant_name=dossier.applicant_name, email=dossier.email, phone=dossier.phone
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
            channel=2,
            applicant_kind=national.applicant_kind,
            submitted_at=national.submitted_at,
            files=[
                SubmittedFile(name=f.name, content_type=f.content_type, size=f.size, sha256=f.sha256)
                for f in files
            ],
            national_reference=national.national_reference,
        ),
        subject=code,
    )
    log.info(
        "national portal dossier received",
        extra={"code": code, "national_reference": national.national_reference, "procedure": procedure.code},
    )
    return dossier


async def record_status(session: AsyncSession, event: CloudEvent) -> None:
    changed = DossierStatusChanged.model_validate(event.data)
    applied = await IntakeRepository(session).apply_status(
        changed.code,
        changed.status,
        changed.status_name,
        event.sequence,
        changed.changed_at,
        received_at=changed.received_at,
        appointment_at=changed.appointment_at,
    )
    log.info(
        "dossier status recorded", extra={"code": changed.code, "status": changed.status, "applied": applied}
    )


def _not_found(code: str) -> Problem:
    return Problem(404, "dossier-not-found", "Không tìm thấy hồ sơ", f"Không có hồ sơ mang mã «{code}».")


@dataclass(frozen=True)
class Lookup:
    dossier: Dossier
    procedure_name: str | None
    agency_name: str | None


async def lookup(session: AsyncSession, code: str) -> Lookup:
    """The public look-up (and the QR code's target): status and dates, no personal data."""
    if not is_dossier_code(code):
        raise Problem(
            422, "invalid-dossier-code", "Mã hồ sơ không hợp lệ", "Mã hồ sơ có dạng <mã cơ quan>-YYMMDD-NNNN."
        )
    repo = IntakeRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        raise _not_found(code)
    procedure = await repo.procedure(dossier.procedure_code)
    return Lookup(
        dossier, procedure.name if procedure else None, procedure.agency_name if procedure else None
    )


async def _readable_dossier(repo: IntakeRepository, principal: Principal, code: str) -> Dossier:
    """The dossier, if `principal` may read it (owner, handling agency, auditors); otherwise the same
    404 as for a dossier that does not exist (no existence oracle)."""
    dossier = await repo.dossier(code)
    if dossier is None or not may_read(
        principal, agency_id=dossier.agency_id, owner_subject=dossier.owner_subject
    ):
        raise _not_found(code)
    return dossier


async def readable_file(session: AsyncSession, principal: Principal, code: str, position: int) -> DossierFile:
    """A dossier's document, for its owner, officers of the handling agency and auditors only.
    Anyone else gets the same 404 as for a dossier that does not exist (no existence oracle)."""
    repo = IntakeRepository(session)
    await _readable_dossier(repo, principal, code)
    found = [f for f in await repo.dossier_files(code) if f.position == position]
    if not found:
        raise Problem(
            404, "file-not-found", "Không tìm thấy tệp", f"Hồ sơ «{code}» không có tệp số {position}."
        )
    if found[0].scan_status != "clean":
        raise Problem(
            409,
            "file-quarantined",
            "Tệp đang được kiểm tra",
            "Tệp chưa qua kiểm tra mã độc nên chưa thể tải về; vui lòng thử lại sau.",
        )
    return found[0]


async def my_dossiers(session: AsyncSession, principal: Principal) -> list[Dossier]:
    """The citizen's (or organisation's) own dossiers, newest first (Kho quản lý dữ liệu điện tử)."""
    if principal.is_officer:
        raise Problem(403, "forbidden", "Không có quyền", "Chỉ công dân, tổ chức xem kho hồ sơ của mình.")
    return await IntakeRepository(session).dossiers_of(principal.subject)


@dataclass(frozen=True)
class SlipConfig:
    font_dir: Path
    timezone: ZoneInfo
    public_base_url: str
    postal_fee_vnd: int = 0


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def produce_slip(
    session: AsyncSession, blobs: BlobStore, config: SlipConfig, event: CloudEvent
) -> None:
    """Mẫu 01 on dossier.received.v1, Mẫu 02 on dossier.supplement_requested.v1, Mẫu 03 on
    dossier.rejected.v1: rendered, stored in the blob store and recorded with the dossier."""
    form: SlipForm
    appointment_at = explanation = reason = None
    if event.type == DOSSIER_RECEIVED.ce_type:
        received = DossierReceived.model_validate(event.data)
        form, code, at = "01", received.code, received.received_at
        appointment_at, explanation = received.appointment_at, received.explanation
    elif event.type in (DOSSIER_SUPPLEMENT_REQUESTED.ce_type, DOSSIER_REJECTED.ce_type):
        milestone = DossierMilestone.model_validate(event.data)
        form = "02" if event.type == DOSSIER_SUPPLEMENT_REQUESTED.ce_type else "03"
        code, at, reason = milestone.code, milestone.at, milestone.reason
    else:
        return
    repo = IntakeRepository(session)
    dossier = await repo.dossier(code)
    if dossier is None:
        log.warning("slip for a dossier intake does not hold", extra={"code": code, "form": form})
        return
    procedure = await repo.procedure(dossier.procedure_code)
    data = SlipData(
        form=form,
        code=code,
        agency_name=procedure.agency_name if procedure else dossier.agency_id,
        procedure_name=procedure.name if procedure else dossier.procedure_code,
        applicant_name=dossier.applicant_name,
        at=at,
        lookup_url=f"{config.public_base_url.rstrip('/')}/api/v1/lookup/{code}",
        documents=[f.name for f in await repo.dossier_files(code)],
        appointment_at=appointment_at,
        explanation=explanation,
        reason=reason,
        result_delivery=dossier.result_delivery,
        postal_address=dossier.postal_address,
        postal_fee_vnd=config.postal_fee_vnd,
    )
    pdf = await asyncio.to_thread(render, data, font_dir=config.font_dir, tz=config.timezone)
    stored = await blobs.put(_one(pdf), max_size=len(pdf))
    added = await repo.add_slip(
        Slip(
            dossier_code=code,
            form=form,
            source_event_id=str(event.id),
            sha256=stored.sha256,
            size=stored.size,
            issued_at=datetime.now(UTC),
        )
    )
    log.info("slip produced", extra={"code": code, "form": form, "new": added})


async def readable_slips(session: AsyncSession, principal: Principal, code: str) -> list[Slip]:
    repo = IntakeRepository(session)
    await _readable_dossier(repo, principal, code)
    return await repo.slips(code)


async def record_receipt(session: AsyncSession, event: CloudEvent) -> None:
    """payment.receipt_issued.v1: attach the receipt to the dossier and the payer's data store."""
    issued = PaymentReceiptIssued.model_validate(event.data)
    await IntakeRepository(session).save_receipt(
        PaymentReceipt(
            payment_id=issued.payment_id,
            dossier_code=issued.dossier_code,
            payer_subject=issued.payer_subject,
            receipt_number=issued.receipt_number,
            amount=issued.amount,
            sha256=issued.sha256,
            url=issued.url,
            issued_at=issued.issued_at,
        )
    )


async def readable_receipts(session: AsyncSession, principal: Principal, code: str) -> list[PaymentReceipt]:
    """The receipts of a dossier, for those who may read the dossier (same 404 for anyone else)."""
    repo = IntakeRepository(session)
    await _readable_dossier(repo, principal, code)
    return await repo.receipts_of_dossier(code)


async def my_receipts(session: AsyncSession, principal: Principal) -> list[PaymentReceipt]:
    """The citizen's data store: receipts of fees they paid, newest first."""
    if principal.is_officer:
        raise Problem(403, "forbidden", "Không có quyền", "Chỉ công dân, tổ chức xem kho dữ liệu của mình.")
    return await IntakeRepository(session).receipts_paid_by(principal.subject)


async def stored_documents(session: AsyncSession, principal: Principal) -> list[tuple[Dossier, DossierFile]]:
    """The citizen's data store: every clean document of their dossiers, newest dossier first."""
    repo = IntakeRepository(session)
    found: list[tuple[Dossier, DossierFile]] = []
    for dossier in await my_dossiers(session, principal):
        found += [(dossier, f) for f in await repo.dossier_files(dossier.code) if f.scan_status == "clean"]
    return found


async def procedure_for_applicants(session: AsyncSession, code: str) -> Procedure:
    procedure = await IntakeRepository(session).procedure(code)
    if procedure is None:
        raise Problem(
            404,
            "unknown-procedure",
            "Thủ tục không tồn tại",
            f"Không tìm thấy thủ tục hành chính có mã «{code}».",
        )
    return procedure


SUPPLEMENT_REQUESTED = 5


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
        raise _not_found(code)
    if dossier.status != SUPPLEMENT_REQUESTED:
        raise Problem(
            409,
            "not-awaiting-supplement",
            "Hồ sơ không ở trạng thái yêu cầu bổ sung",
            f"Hồ sơ «{code}» đang ở trạng thái «{dossier.status_name}»; chỉ bổ sung khi cơ quan yêu cầu.",
        )
    existing = await repo.dossier_files(code)
    checked = await _check_uploads(uploads, limits, reused=0)
    stored = await _store_uploads(checked, blobs, scanner or NoScanner(), limits)
    round_ = max((f.supplement_round for f in existing), default=0) + 1
    files = _appended_files(code, existing, stored, supplement_round=round_)
    session.add_all(files)
    now = datetime.now(UTC)
    await outbox.add(
        session,
        DOSSIER_RESUBMITTED,
        DossierResubmitted(
            code=code,
            procedure_code=dossier.procedure_code,
            agency_id=dossier.agency_id,
            resubmitted_at=now,
            supplement_round=round_,
            files=[
                SubmittedFile(name=f.name, content_type=f.content_type, size=f.size, sha256=f.sha256)
                for f in files
            ],
        ),
        subject=code,
    )
    log.info("dossier supplemented", extra={"code": code, "round": round_, "files": len(files)})
    return files


def _appended_files(
    code: str,
    existing: Sequence[DossierFile],
    stored: Sequence[tuple[CheckedUpload, int, str, str]],
    *,
    supplement_round: int = 0,
    kind: str = "component",
) -> list[DossierFile]:
    """Rows for files stored after a dossier's existing ones (positions continue, none reused)."""
    first = max((f.position for f in existing), default=0) + 1
    return [
        DossierFile(
            dossier_code=code,
            position=position,
            name=item.name,
            content_type=item.content_type,
            size=size,
            sha256=sha256,
            scan_status=scan_status,
            supplement_round=supplement_round,
            kind=kind,
        )
        for position, (item, size, sha256, scan_status) in enumerate(stored, start=first)
    ]


async def add_results(
    session: AsyncSession,
    blobs: BlobStore,
    principal: Principal,
    code: str,
    uploads: Sequence[Upload],
    limits: Limits,
    *,
    scanner: Scanner | None = None,
) -> list[DossierFile]:
    """An officer of the handling agency attaches the result documents returned online: they land in
    the owner's data store (Kho quản lý dữ liệu điện tử) and can be reused in later dossiers."""
    repo = IntakeRepository(session)
    dossier = await _readable_dossier(repo, principal, code)
    if not may_issue_result(principal, agency_id=dossier.agency_id):
        raise Problem(
            403, "forbidden", "Không có quyền", "Chỉ cán bộ của cơ quan giải quyết hồ sơ trả kết quả điện tử."
        )
    existing = await repo.dossier_files(code)
    checked = await _check_uploads(uploads, limits)
    stored = await _store_uploads(checked, blobs, scanner or NoScanner(), limits)
    files = _appended_files(code, existing, stored, kind="result")
    session.add_all(files)
    log.info("result documents stored", extra={"code": code, "files": len(files)})
    return files
