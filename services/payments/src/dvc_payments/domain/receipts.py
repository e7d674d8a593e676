"""The state-budget receipt (chứng từ nộp ngân sách nhà nước) signed by the bank (Điện Biên Điều 15.2).

The platform returns the receipt as JSON with an Ed25519 signature over its canonical form (sorted
keys, no spaces, UTF-8) and publishes the signing public key. Payments verifies before storing.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def verify_receipt(document: dict[str, Any], signature_b64: str, public_key_b64: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(base64.b64decode(signature_b64), canonical(document))
    except (InvalidSignature, ValueError):
        return False
    return True


def receipt_sha256(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(document)).hexdigest()
