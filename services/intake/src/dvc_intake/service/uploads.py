"""Uploaded documents: checked before anything is stored (name, size, type proven by the content),
then scanned and stored in the blob store; rows for files appended to a dossier."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from dvc_common.blob import BlobStore, BlobTooLarge, EmptyBlob
from dvc_common.problems import Problem
from dvc_intake.domain.documents import (
    ACCEPTED_DESCRIPTION,
    UnsafeFileName,
    extension_matches,
    is_dangerous,
    sanitise_file_name,
    sniff_content_type,
)
from dvc_intake.models import DossierFile
from dvc_intake.scanning import Scanner, ScannerUnavailable
from dvc_intake.schemas import StoredDocumentRef
from dvc_intake.signatures import pdf_is_signed

log = logging.getLogger(__name__)


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


async def check_signed_form(
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


async def check_uploads(uploads: Sequence[Upload], limits: Limits, *, reused: int = 0) -> list[CheckedUpload]:
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


async def store_uploads(
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


def appended_files(
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
