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
from dvc_intake import errors
from dvc_intake.domain.active_content import ZipBomb, check_zip, pdf_active_content
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
        raise errors.signature_required()


async def check_uploads(uploads: Sequence[Upload], limits: Limits, *, reused: int = 0) -> list[CheckedUpload]:
    """Validate every file before anything is stored: name, size, type proven by the content and
    agreeing with the name's extension."""
    if not uploads and not reused:
        raise errors.no_files()
    if len(uploads) + reused > limits.max_files:
        raise errors.too_many_files(limits.max_files)
    return [await _checked(upload, position, limits) for position, upload in enumerate(uploads, start=1)]


async def _checked(upload: Upload, position: int, limits: Limits) -> CheckedUpload:
    try:
        name = sanitise_file_name(upload.filename, f"tep-{position}")
    except UnsafeFileName as exc:
        raise errors.unsafe_file_name(upload.filename or "") from exc
    if not upload.size:
        raise errors.empty_file(name)
    if upload.size > limits.max_file_bytes:
        raise errors.file_too_large(name, limits.max_file_bytes)
    await upload.seek(0)
    head = await upload.read(64)
    content_type = sniff_content_type(head)
    if content_type is None or is_dangerous(head):
        raise errors.unsupported_file_type(name, ACCEPTED_DESCRIPTION)
    if not extension_matches(name, content_type):
        raise errors.file_type_mismatch(name, content_type)
    await _check_content(upload, name, content_type, limits)
    return CheckedUpload(upload, name, content_type)


# An office file or archive may decompress to at most this many times the per-file limit.
ZIP_EXPANSION = 10


async def _check_content(upload: Upload, name: str, content_type: str, limits: Limits) -> None:
    """No active content in a PDF, no zip bomb in an office file or archive (read whole: the size was
    checked, and the multipart reader stopped at the limit)."""
    if content_type not in ("application/pdf", "application/zip"):
        return
    await upload.seek(0)
    data = await upload.read(limits.max_file_bytes + 1)
    if content_type == "application/pdf":
        active = await asyncio.to_thread(pdf_active_content, data)
        if active:
            raise errors.active_pdf_content(name, active)
        return
    try:
        await asyncio.to_thread(check_zip, data, max_total=ZIP_EXPANSION * limits.max_file_bytes)
    except ZipBomb as exc:
        log.warning("archive refused", extra={"reason": str(exc)})
        raise errors.zip_bomb(name) from exc


@dataclass(frozen=True)
class StoredUpload:
    """A checked upload once scanned and in the blob store."""

    name: str
    content_type: str
    signed: bool
    size: int
    sha256: str
    scan_status: str  # "clean", or "quarantined" while the scanner could not give a verdict

    def row(
        self,
        code: str,
        position: int,
        *,
        digitised: bool = False,
        supplement_round: int = 0,
        kind: str = "component",
        component: int | None = None,
    ) -> DossierFile:
        return DossierFile(
            dossier_code=code,
            position=position,
            name=self.name,
            content_type=self.content_type,
            size=self.size,
            sha256=self.sha256,
            scan_status=self.scan_status,
            digitised=digitised,
            signed=self.signed,
            supplement_round=supplement_round,
            kind=kind,
            component=component,
        )


async def store_uploads(
    checked: list[CheckedUpload], blobs: BlobStore, scanner: Scanner, limits: Limits
) -> list[StoredUpload]:
    """Scan, then store each checked upload."""
    stored_files: list[StoredUpload] = []
    for item in checked:
        scan_status = await _scan(item, scanner)
        try:
            stored = await blobs.put(_chunks(item.upload), max_size=limits.max_file_bytes)
        except (BlobTooLarge, EmptyBlob) as exc:  # the spooled size lied; the stream is the truth
            raise errors.invalid_file(item.name, exc) from exc
        stored_files.append(
            StoredUpload(item.name, item.content_type, item.signed, stored.size, stored.sha256, scan_status)
        )
    return stored_files


async def _scan(item: CheckedUpload, scanner: Scanner) -> str:
    """An infected file is refused; when the scanner cannot say, the file stays in quarantine."""
    try:
        result = await scanner.scan(_chunks(item.upload))
    except ScannerUnavailable:
        log.warning("antivirus scanner unavailable: document kept in quarantine")
        return "quarantined"
    if result.verdict == "infected":
        raise errors.infected_file(item.name, result.signature)
    return "clean"


def appended_files(
    code: str,
    existing: Sequence[DossierFile],
    stored: Sequence[StoredUpload],
    *,
    supplement_round: int = 0,
    kind: str = "component",
) -> list[DossierFile]:
    """Rows for files stored after a dossier's existing ones (positions continue, none reused)."""
    first = max((f.position for f in existing), default=0) + 1
    return [
        item.row(code, position, supplement_round=supplement_round, kind=kind)
        for position, item in enumerate(stored, start=first)
    ]
