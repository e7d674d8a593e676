"""Does a PDF carry a digital signature? (procedures with `signature_required`).

Checked now: the PDF has a signature field (`/FT /Sig`) whose value holds a signed digest (`/Contents`,
non-empty) over a `/ByteRange` that covers the whole file except the digest itself, so nothing was
appended or altered after signing without a new signature. Not checked yet: the PKCS#7/CAdES
signature against the digest and the signer's certificate chain up to the national root CA (Ban Cơ yếu
Chính phủ / NEAC) and its revocation; that needs a validation service (pyHanko with the trust roots).
"""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError


def _signed_value(value: Any, data: bytes) -> bool:
    try:
        value = value.get_object()
        byte_range = [int(x) for x in value["/ByteRange"]]
        raw = value["/Contents"]
        # pypdf decodes some hex strings as text (PDFDocEncoding); the digest is the original bytes.
        contents = raw.original_bytes if hasattr(raw, "original_bytes") else bytes(raw)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    if len(byte_range) != 4 or not contents.strip(b"\x00"):
        return False
    start1, len1, start2, len2 = byte_range
    return start1 == 0 and start2 > len1 and start2 + len2 == len(data)


def pdf_is_signed(data: bytes) -> bool:
    try:
        reader = PdfReader(io.BytesIO(data))
        fields = reader.get_fields() or {}
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return False
    return any(
        f.get("/FT") == "/Sig" and f.get("/V") is not None and _signed_value(f["/V"], data)
        for f in fields.values()
    )
