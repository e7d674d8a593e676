"""Validation of what a provincial system posts to the national portal (domain rules §3 and §6).

A request is all or nothing: the first invalid item rejects the whole array with an error code
and a Vietnamese message naming the item and the field.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

DATE_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss

DOSSIER_DATE_FIELDS = ("NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy")
DOSSIER_TEXT_FIELDS = ("MaLinhVuc", "TenLinhVuc", "MaDoiTuong", "SoDienThoai", "TrichYeuHoSo", "DonViXuLy")
# The fields of the national portal's dossier record (its synchronisation API, "đồng bộ hồ sơ"), and
# MaHoSoQG, the portal's own code of a dossier submitted there (this simulator's name for it).
DOSSIER_FIELDS = frozenset(
    {
        "MaHoSo", "MaHoSoQG", "MaHoSoKhac", "MaDinhDanh", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc",
        "KenhThucHien", "SoGiayToChuHoSo", "ChuHoSo", "LoaiDoiTuong", "MaKetQuaChinh", "MaDoiTuong",
        "ThongTinKhac", "DinhKemKetQua", "Email", "Fax", "SoDienThoai", "TrichYeuHoSo", "NgayTiepNhan",
        "NgayHenTra", "NgayYeuCauBoSung", "TrangThaiHoSo", "NgayTra", "ThongTinTra", "HinhThuc",
        "NgayKetThucXuLy", "DonViXuLy", "GhiChu", "TaiLieuNop", "DanhSachLePhi", "DanhSachTepDinhKemKhac",
        "DanhSachHoSoBoSung", "DanhSachGiayToKetQua", "NoiNopHoSo", "HoSoCoThanhPhanSoHoa",
        "TaiKhoanDuocXacThucVoiVNeID", "DuocThanhToanTrucTuyen", "NgayTuChoi", "SoDinhDanh", "DinhDanhCHS",
        "NgayNopHoSo", "DSKetNoiCSDL",
    }
)  # fmt: skip
# Each list's items: their fields, and those required.
LIST_ITEMS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "TaiLieuNop": (
        frozenset(
            {
                "TepDinhKemId",
                "TenTepDinhKem",
                "IsDeleted",
                "MaThanhPhanHoSo",
                "DuongDanTaiTepTin",
                "DuocSoHoa",
                "DuocTaiSuDung",
                "DuocLayTuKhoDMQG",
                "MaKetQuaThayThe",
            }
        ),
        ("TenTepDinhKem",),
    ),
    "DanhSachLePhi": (
        frozenset({"TenPhiLePhi", "MaPhiLePhi", "HinhThucThu", "Gia", "LoaiPhiLePhi"}),
        ("TenPhiLePhi", "Gia"),
    ),
    "DanhSachGiayToKetQua": (
        frozenset({"TenGiayTo", "MaThanhPhanHoSo", "GiayToId", "DuongDanTepTinKetQua", "MaGiayToKetQua"}),
        ("TenGiayTo",),
    ),
}
DOSSIER_LIST_FIELDS = tuple(LIST_ITEMS)
# Statuses at which the dossier has been received, so a receipt date must be known.
RECEIVED_STATUSES = frozenset({2, 4, 5, 6, 8, 9, 10})
RETURNED_STATUS = 10


class ErrorCode(StrEnum):
    OK = "0"
    MALFORMED = "1"  # not a JSON array of objects, or an empty array
    MISSING_FIELD = "2"
    BAD_DATE = "3"
    BAD_STATUS = "4"  # national status code outside 1–10
    BAD_CODE = "5"  # channel, applicant kind or another code outside its range, or a wrong type
    UNKNOWN_DOSSIER = "6"  # a processing step for a dossier never synchronised
    DATE_ORDER = "7"
    DUPLICATE = "8"  # create of a dossier the portal already has
    UNAUTHORIZED = "401"
    NOT_FOUND = "404"
    UNAVAILABLE = "503"


class PortalRejection(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _reject(code: ErrorCode, position: int, message: str) -> PortalRejection:
    return PortalRejection(code, f"Bản ghi thứ {position}: {message}")


def parse_date(value: object) -> datetime | None:
    """A ``yyyyMMddHHmmss`` string as a datetime, or None if it is not one."""
    if not isinstance(value, str) or len(value) != 14 or not value.isdigit():
        return None
    try:
        return datetime.strptime(value, DATE_FORMAT)
    except ValueError:
        return None


def _present(item: dict[str, Any], field: str) -> bool:
    return item.get(field) not in (None, "")


def _text(item: dict[str, Any], field: str, position: int, *, required: bool) -> None:
    if not _present(item, field):
        if required:
            raise _reject(ErrorCode.MISSING_FIELD, position, f"thiếu trường bắt buộc {field}")
        return
    value = item[field]
    if not isinstance(value, str) or not value.strip():
        raise _reject(ErrorCode.BAD_CODE, position, f"trường {field} phải là chuỗi ký tự")


def _code(item: dict[str, Any], field: str, position: int, allowed: range, error: ErrorCode) -> int:
    if not _present(item, field):
        raise _reject(ErrorCode.MISSING_FIELD, position, f"thiếu trường bắt buộc {field}")
    value = item[field]
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise _reject(
            error,
            position,
            f"giá trị {field} = {item[field]!r} không hợp lệ (phải từ {allowed.start} đến {allowed.stop - 1})",
        )
    return value


def _date(item: dict[str, Any], field: str, position: int, *, required: bool) -> datetime | None:
    if not _present(item, field):
        if required:
            raise _reject(ErrorCode.MISSING_FIELD, position, f"thiếu trường bắt buộc {field}")
        return None
    parsed = parse_date(item[field])
    if parsed is None:
        raise _reject(
            ErrorCode.BAD_DATE,
            position,
            f"trường {field} = {item[field]!r} không đúng định dạng yyyyMMddHHmmss",
        )
    return parsed


def _object_list(item: dict[str, Any], field: str, position: int) -> list[dict[str, Any]]:
    value = item.get(field)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise _reject(ErrorCode.MALFORMED, position, f"trường {field} phải là một mảng các đối tượng")
    return value


def _list_items(item: dict[str, Any], field: str, position: int) -> None:
    """The items of one of the record's lists: only the portal's fields, the required ones present."""
    known, required = LIST_ITEMS[field]
    for index, entry in enumerate(_object_list(item, field, position), start=1):
        unknown = sorted(set(entry) - known)
        if unknown:
            raise _reject(
                ErrorCode.MALFORMED,
                position,
                f"{field}[{index}] có trường không thuộc đặc tả: {', '.join(unknown)}",
            )
        for name in required:
            if not _present(entry, name):
                raise _reject(
                    ErrorCode.MISSING_FIELD, position, f"{field}[{index}] thiếu trường bắt buộc {name}"
                )


def _fees(item: dict[str, Any], position: int) -> None:
    for fee in _object_list(item, "DanhSachLePhi", position):
        amount = fee.get("Gia")
        valid = (isinstance(amount, str) and amount.isdigit()) or (
            isinstance(amount, int) and not isinstance(amount, bool) and amount >= 0
        )
        if not valid:
            raise _reject(
                ErrorCode.BAD_CODE,
                position,
                f"lệ phí Gia = {amount!r} phải là số tiền không âm (đồng, chữ số)",
            )


def validate_dossier(item: object, position: int) -> None:
    """Check one dossier record (create or update); ``position`` counts from 1."""
    if not isinstance(item, dict):
        raise _reject(ErrorCode.MALFORMED, position, "phải là một đối tượng JSON")
    for field in ("MaHoSo", "MaTTHC", "TenTTHC", "ChuHoSo"):
        _text(item, field, position, required=True)
    for field in DOSSIER_TEXT_FIELDS:
        _text(item, field, position, required=False)
    status = _code(item, "TrangThaiHoSo", position, range(1, 11), ErrorCode.BAD_STATUS)
    _code(item, "KenhThucHien", position, range(1, 4), ErrorCode.BAD_CODE)
    _code(item, "LoaiDoiTuong", position, range(1, 5), ErrorCode.BAD_CODE)
    dates = {field: _date(item, field, position, required=False) for field in DOSSIER_DATE_FIELDS}
    if status in RECEIVED_STATUSES and dates["NgayTiepNhan"] is None:
        raise _reject(ErrorCode.MISSING_FIELD, position, f"hồ sơ ở trạng thái {status} phải có NgayTiepNhan")
    if status == RETURNED_STATUS and dates["NgayTra"] is None:
        raise _reject(ErrorCode.MISSING_FIELD, position, "hồ sơ đã trả kết quả phải có NgayTra")
    received, due = dates["NgayTiepNhan"], dates["NgayHenTra"]
    if received and due and due < received:
        raise _reject(ErrorCode.DATE_ORDER, position, "NgayHenTra không được trước NgayTiepNhan")
    unknown = sorted(set(item) - DOSSIER_FIELDS)
    if unknown:
        raise _reject(ErrorCode.MALFORMED, position, f"có trường không thuộc đặc tả: {', '.join(unknown)}")
    _fees(item, position)
    for field in DOSSIER_LIST_FIELDS:
        _list_items(item, field, position)


def validate_step(item: object, position: int) -> None:
    """Check one processing step; that its dossier is known is checked against the store."""
    if not isinstance(item, dict):
        raise _reject(ErrorCode.MALFORMED, position, "phải là một đối tượng JSON")
    for field in ("MaHoSo", "NguoiXuLy", "NoiDungXuLy"):
        _text(item, field, position, required=True)
    for field in ("ChucDanh", "PhongBanXuLy"):
        _text(item, field, position, required=False)
    _date(item, "ThoiDiemXuLy", position, required=True)
    start = _date(item, "NgayBatDau", position, required=False)
    deadline = _date(item, "NgayKetThucTheoQuyDinh", position, required=False)
    if start and deadline and deadline < start:
        raise _reject(ErrorCode.DATE_ORDER, position, "NgayKetThucTheoQuyDinh không được trước NgayBatDau")
    _code(item, "TrangThai", position, range(1, 11), ErrorCode.BAD_STATUS)


def require_array(payload: object) -> list[Any]:
    if not isinstance(payload, list):
        raise PortalRejection(ErrorCode.MALFORMED, "Dữ liệu gửi lên phải là một mảng JSON")
    if not payload:
        raise PortalRejection(ErrorCode.MALFORMED, "Mảng dữ liệu gửi lên không có bản ghi nào")
    return payload
