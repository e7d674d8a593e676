"""Content that must not be accepted inside an otherwise accepted type: PDFs with active content
(JavaScript, actions run on opening, launching programs, embedded files) and ZIP containers (office
files) that decompress far beyond their size (zip bombs) or nest archives."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Names of active content (as keys, or as the /S type of an action) and what we call them.
_ACTIVE_KEYS = {"/JS": "JavaScript", "/JavaScript": "JavaScript", "/OpenAction": "OpenAction",
                "/AA": "OpenAction", "/EmbeddedFiles": "EmbeddedFile", "/EF": "EmbeddedFile",
                "/RichMedia": "EmbeddedFile"}  # fmt: skip
_ACTIVE_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "Launch", "/ImportData": "Launch",
                   "/SubmitForm": "SubmitForm"}  # fmt: skip
_ACTIVE_TYPES = {"/EmbeddedFile": "EmbeddedFile", "/Filespec": "EmbeddedFile"}
# The same names in the raw bytes (also when pypdf cannot parse the file); `#xx` escapes decoded.
_RAW = re.compile(rb"/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z0-9])")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".7z", ".rar", ".bz2", ".xz", ".jar", ".cab")


class ZipBomb(Exception):
    """The archive would decompress beyond the limits, or nests archives."""


def pdf_active_content(data: bytes) -> str | None:
    """The kind of active content the PDF carries ("JavaScript", "OpenAction", "Launch",
    "EmbeddedFile", "SubmitForm"), or None."""
    raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    found = _RAW.search(raw)
    if found:
        name = "/" + found.group(1).decode()
        return _ACTIVE_KEYS.get(name) or _ACTIVE_ACTIONS.get(name) or "EmbeddedFile"
    if b"/ObjStm" not in raw:
        return None  # every object is in the clear: the byte scan saw every name
    try:  # compressed object streams hide names from the byte scan: walk every object too
        reader = PdfReader(io.BytesIO(data), strict=False)
        objects = [reader.trailer.get("/Root")]
        for generation in reader.xref.values():
            objects += [IndirectObject(num, 0, reader) for num in generation]
        objects += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
        for obj in objects:
            kind = _active(_resolved(obj))
            if kind:
                return kind
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        return None  # not parseable as a PDF: the byte scan above is all there is
    return None


def _resolved(obj: Any) -> Any:
    try:
        return obj.get_object() if isinstance(obj, IndirectObject) else obj
    except (PdfReadError, ValueError, KeyError, OSError):
        return None


def _active(obj: Any) -> str | None:
    if isinstance(obj, ArrayObject):
        return next((k for k in (_active(_resolved(item)) for item in obj) if k), None)
    if not isinstance(obj, DictionaryObject):
        return None
    for key in obj:
        if key in _ACTIVE_KEYS:
            return _ACTIVE_KEYS[key]
    action = obj.get("/S")
    if action in _ACTIVE_ACTIONS:
        return _ACTIVE_ACTIONS[str(action)]
    kind = obj.get("/Type")
    if kind == "/EmbeddedFile" or (kind == "/Filespec" and "/EF" in obj):
        return _ACTIVE_TYPES[str(kind)]
    return None


def check_zip(data: bytes, *, max_total: int, max_entries: int = 1000, max_ratio: int = 100) -> None:
    """Decompress every entry (never trusting the declared sizes), stopping as soon as the total passes
    `max_total` or one entry's ratio passes `max_ratio`; nested archives are refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ZipBomb("not a readable ZIP container") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > max_entries:
            raise ZipBomb(f"more than {max_entries} entries")
        total = 0
        for entry in entries:
            if entry.filename.lower().endswith(ARCHIVE_SUFFIXES):
                raise ZipBomb(f"nested archive {entry.filename}")
            size = 0
            try:
                with archive.open(entry) as stream:
                    while chunk := stream.read(64 * 1024):
                        size += len(chunk)
                        total += len(chunk)
                        if total > max_total:
                            raise ZipBomb("decompresses beyond the limit")
                        if size > 1024 * 1024 and size > max_ratio * max(entry.compress_size, 1):
                            raise ZipBomb(
                                f"{entry.filename} decompresses {size // max(entry.compress_size, 1)}×"
                            )
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError) as exc:
                raise ZipBomb(f"{entry.filename} cannot be read: {exc}") from exc
