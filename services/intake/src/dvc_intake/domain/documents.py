"""Which document types an applicant may upload, decided from the content, not the file name."""

from __future__ import annotations

from typing import Final

# (magic prefix, content type). Office Open XML and OpenDocument files are ZIP containers.
SIGNATURES: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"PK\x03\x04", "application/zip"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
ACCEPTED_DESCRIPTION: Final = "PDF, JPEG, PNG, TIFF hoặc tệp văn phòng (DOCX, XLSX, ODT)"


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes prove, or None when the type is not accepted."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None
