"""`MaXacThuc` of the national payment platform (domain-rules §5).

Lowercase hex SHA-256 of the message's fields joined by `|`, followed by `|` and the partner's
secret key. Each message type signs its own fields in a fixed order (`FIELDS`). Amounts are
integers of VND written without separators.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any

# Field order per message type (LoaiBanTin). The callback order is the platform's published one.
FIELDS: dict[str, tuple[str, ...]] = {
    "INIT": (
        "LoaiBanTin",
        "PhienBan",
        "MaDoiTac",
        "MaThamChieu",
        "SoTien",
        "MaTienTe",
        "NgonNgu",
        "ThoiGianGD",
        "MaHoSo",
        "TaiKhoanThuHuong",
    ),
    "INIT_RESPONSE": ("LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "UrlThanhToan"),
    "CALLBACK": (
        "LoaiBanTin",
        "MaLoi",
        "MaDoiTac",
        "MaThamChieu",
        "SoTien",
        "MaTienTe",
        "MaGiaoDich",
        "MaNganHang",
        "ThoiGianGD",
        "ThongTinGiaoDich",
    ),
    "QUERY": ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD"),
    "QUERY_RESPONSE": (
        "LoaiBanTin",
        "MaLoi",
        "MaDoiTac",
        "MaThamChieu",
        "SoTien",
        "MaTienTe",
        "MaGiaoDich",
        "MaNganHang",
        "ThoiGianGD",
        "TrangThai",
    ),
    "GET_BILL": ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "MaGiaoDich"),
    "SETTLEMENT": ("LoaiBanTin", "PhienBan", "MaDoiTac", "NgayDoiSoat"),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("booleans have no checksum form")
    if isinstance(value, float):
        raise TypeError("amounts are integers of VND, never floats")
    return str(value)


def checksum_of(values: Sequence[Any], secret: str) -> str:
    joined = "|".join(_text(v) for v in values)
    return hashlib.sha256(f"{joined}|{secret}".encode()).hexdigest()


def sign(kind: str, message: Mapping[str, Any], secret: str) -> str:
    """The `MaXacThuc` of `message` as the message type `kind` defines it."""
    return checksum_of([message.get(name) for name in FIELDS[kind]], secret)


def verify(kind: str, message: Mapping[str, Any], secret: str) -> bool:
    """True when the message carries the right `MaXacThuc` (constant-time comparison)."""
    given = message.get("MaXacThuc")
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(given.lower(), sign(kind, message, secret)) and given == given.lower()


def signed(kind: str, message: Mapping[str, Any], secret: str) -> dict[str, Any]:
    """The message with its `MaXacThuc`."""
    return {**message, "MaXacThuc": sign(kind, message, secret)}
