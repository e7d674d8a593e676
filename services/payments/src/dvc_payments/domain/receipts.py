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


COUNTER_METHODS = {"cash": "Tiền mặt", "card": "Thẻ ngân hàng (máy POS)"}


def receipt_block(
    *,
    procedure_code: str,
    agency_id: str,
    dossier_code: str,
    account: dict[str, Any],
    fee_lines: list[dict[str, Any]],
) -> dict[str, Any]:
    """The receipt's block (ThongTinBienLai): the fees and the beneficiary account, in the platform's
    keys; sent with an INIT, and written into a receipt taken at the counter."""
    return {
        "MaThuTuc": procedure_code,
        "MaDichVu": procedure_code,
        "MaCoQuan": agency_id,
        "MaHoSo": dossier_code,
        "TaiKhoanThuHuong": account["account_number"],
        "TenTaiKhoanThuHuong": account["account_name"],
        "MaNganHangThuHuong": account["bank_code"],
        "PhiLePhi": [
            {"LoaiPhiLePhi": f["kind"], "TenPhiLePhi": f["name"], "SoTien": f["amount"]} for f in fee_lines
        ],
    }


def counter_receipt(
    *,
    receipt_number: str,
    dossier_code: str,
    amount: int,
    paid_at_local_iso: str,
    method: str,
    collector_name: str,
    card_reference: str | None,
    block: dict[str, Any],
) -> dict[str, Any]:
    """The biên lai of fees taken at the one-stop counter, in the keys of a bank receipt (GET_BILL) so
    that it prints and files like one; issued by the agency, not signed by a bank."""
    document: dict[str, Any] = {
        "SoChungTu": receipt_number,
        "KyHieu": "BLTM" if method == "cash" else "BLPOS",
        "MaGiaoDich": receipt_number,
        "MaHoSo": dossier_code,
        "SoTien": amount,
        "MaTienTe": "VND",
        "NgayNop": paid_at_local_iso,
        "NoiDung": f"Thu phí, lệ phí hồ sơ {dossier_code} tại Bộ phận Một cửa ({COUNTER_METHODS[method]})",
        "HinhThucNop": COUNTER_METHODS[method],
        "NguoiThu": collector_name,
        "ThongTinBienLai": block,
    }
    if card_reference:
        document["MaGiaoDichThe"] = card_reference
    return document
