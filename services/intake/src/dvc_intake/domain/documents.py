"""Which document types an applicant may upload, decided from the content, not the file name.

The content decides the type; the name's extension must agree with it (a PNG named `giay-to.pdf` or an
executable named `don.pdf` is refused). File names are sanitised before they are stored or served, and
a name that tries to climb out of a directory (`../`, `C:\\`, an absolute path) is refused outright.
"""

from __future__ import annotations

import re
import unicodedata
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

# Extensions and the content type their content must prove.
EXTENSIONS: Final[dict[str, str]] = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "docx": "application/zip",
    "xlsx": "application/zip",
    "odt": "application/zip",
    "ods": "application/zip",
    "zip": "application/zip",
}

# Content that is never a document: executables, scripts, markup that a browser would run.
DANGEROUS: Final[tuple[bytes, ...]] = (
    b"MZ",  # Windows PE
    b"\x7fELF",
    b"\xca\xfe\xba\xbe",  # Mach-O / Java class
    b"\xcf\xfa\xed\xfe",
    b"#!",
    b"<script",
    b"<html",
    b"<!doctype",
    b"<?php",
    b"<svg",
)
MAX_NAME_LENGTH: Final = 120


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes prove, or None when the type is not accepted."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def is_dangerous(head: bytes) -> bool:
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(lowered.startswith(magic.lower()) for magic in DANGEROUS)


def extension(name: str) -> str | None:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else None


def extension_matches(name: str, content_type: str) -> bool:
    """True when the name has an accepted extension and the content proves that type."""
    ext = extension(name)
    return ext is not None and EXTENSIONS.get(ext) == content_type


class UnsafeFileName(ValueError):
    """A name with path components or traversal: refused rather than guessed at."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")


def sanitise_file_name(raw: str | None, fallback: str) -> str:
    """A safe display and storage name: NFC-normalised (Vietnamese diacritics kept), no control or
    shell-reserved characters, no leading dots, at most 120 characters with the extension kept.

    Raises UnsafeFileName for names that carry a path (`/`, `\\`, `..`, drive letters)."""
    if not raw or not raw.strip():
        return fallback
    name = unicodedata.normalize("NFC", raw).strip()
    if _carries_path(name):
        raise UnsafeFileName(raw)
    name = _CONTROL.sub("", name)
    name = _RESERVED.sub("_", name)
    name = _SPACES.sub(" ", name).lstrip(". ").strip()
    return _shortened(name) if name else fallback


def _carries_path(name: str) -> bool:
    return (
        any(part in name for part in ("/", "\\", "..", "\x00")) or re.match(r"^[A-Za-z]:", name) is not None
    )


def _shortened(name: str) -> str:
    """At most MAX_NAME_LENGTH characters, keeping a (short) extension."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    ext = extension(name)
    suffix = f".{ext}" if ext and len(ext) <= 10 else ""
    return name[: MAX_NAME_LENGTH - len(suffix)] + suffix
