"""How the portal writes what the services answer, the Vietnamese way: dates dd/mm/yyyy and times
HH:mm in Vietnam time, money `200.000 đ`, and the Vietnamese names of the codes the APIs return."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _local(value: datetime, tz: ZoneInfo) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a naive datetime has no instant; the services always send an offset")
    return value.astimezone(tz)


def date_vi(value: datetime | None, tz: ZoneInfo = VIETNAM) -> str:
    """`01/12/2026` (the day in Vietnam, whatever the offset the service used)."""
    return "" if value is None else _local(value, tz).strftime("%d/%m/%Y")


def time_vi(value: datetime | None, tz: ZoneInfo = VIETNAM) -> str:
    """`08:05` (24-hour clock, Vietnam time)."""
    return "" if value is None else _local(value, tz).strftime("%H:%M")


def datetime_vi(value: datetime | None, tz: ZoneInfo = VIETNAM) -> str:
    """`08:05 ngày 01/12/2026`."""
    return "" if value is None else f"{time_vi(value, tz)} ngày {date_vi(value, tz)}"


def money_vi(amount: int | None) -> str:
    """`200.000 đ`: thousands separated by dots, the đồng sign after a space."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " đ"


def number_vi(value: float) -> str:
    """`15`, `1,5` (a decimal comma; whole numbers without decimals)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


PROCESSING_UNITS = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "calendar_days": "ngày",
}


def processing_time_vi(time: dict[str, Any] | None) -> str:
    """`15 ngày làm việc` from the catalog's `{"value": 15, "unit": "working_days"}`."""
    if not time:
        return ""
    unit = PROCESSING_UNITS.get(str(time.get("unit")), str(time.get("unit")))
    return f"{number_vi(float(time.get('value', 0)))} {unit}"


ONLINE_LEVELS = {"full": "Toàn trình", "partial": "Một phần"}
DELIVERY = {
    "counter": "Tại Bộ phận Một cửa",
    "post": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến (tải về từ Cổng dịch vụ công)",
}
FEE_KINDS = {"phi": "Phí", "le_phi": "Lệ phí", "buu_chinh": "Cước bưu chính"}
CHANNELS = {1: "Trực tiếp tại Bộ phận Một cửa", 2: "Trực tuyến", 3: "Qua dịch vụ bưu chính"}
AGENCY_LEVELS = {
    "province": "Cấp tỉnh",
    "department": "Sở, ngành",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
}
ROLES = {
    "one_stop_officer": "Công chức Bộ phận Một cửa",
    "processing_officer": "Chuyên viên xử lý",
    "department_head": "Trưởng phòng",
    "agency_leader": "Lãnh đạo cơ quan",
    "agency_admin": "Quản trị tài khoản cơ quan",
    "provincial_operator": "Văn phòng UBND tỉnh / Trung tâm Phục vụ hành chính công",
    "qa_focal_officer": "Công chức đầu mối hỏi - đáp",
    "auditor": "Kiểm tra, thanh tra",
}
# Why an account is locked (identity's reasons).
LOCK_REASONS = {
    "administrative": "Tạm khóa theo quyết định quản lý",
    "moved": "Chuyển công tác",
    "left": "Nghỉ việc",
}
# Workflow answers the allowed actions as codes; these are their names on the buttons.
ACTIONS = {
    "submit": "Nộp hồ sơ",
    "supplement_uploaded": "Người nộp đã nộp hồ sơ bổ sung",
    "accept": "Tiếp nhận hồ sơ",
    "reject": "Từ chối hồ sơ",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "resubmit": "Tiếp nhận hồ sơ bổ sung",
    "assign": "Phân công xử lý",
    "forward": "Chuyển bước xử lý",
    "send_back": "Trả lại bước trước",
    "transfer": "Chuyển liên thông sang cơ quan khác",
    "extend": "Gia hạn, xin lỗi và hẹn lại ngày trả kết quả",
    "stop": "Dừng xử lý hồ sơ",
    "withdraw": "Rút hồ sơ",
    "return_result": "Trả kết quả",
}
# What a national status asks of the applicant now (a heading for what the services answered).
ASKED_OF_APPLICANT = {
    5: "Cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ",
    6: "Hồ sơ chờ bạn nộp phí, lệ phí",
    9: "Đã có kết quả: mời bạn nhận kết quả",
}
SCAN_STATUS = {"clean": "Đã kiểm tra, an toàn", "quarantined": "Đang cách ly (chưa kiểm tra được)"}
FILE_KINDS = {"component": "Thành phần hồ sơ", "result": "Kết quả giải quyết"}
TIMELINESS = {"on_time": "Đúng hạn", "early": "Trước hạn", "late": "Quá hạn"}
SCOPES = {
    "mine": "Của tôi",
    "department": "Của phòng",
    "agency": "Của cơ quan",
    "inter_agency": "Liên thông",
}


def label(table: dict[Any, str], code: Any) -> str:
    """The Vietnamese name of a code; an unknown code is shown as it came (never hidden)."""
    return table.get(code, "" if code is None else str(code))


def file_size_vi(size: int) -> str:
    """`12,5 KB`, `3,2 MB`."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{number_vi(round(size / 1024, 1))} KB"
    return f"{number_vi(round(size / (1024 * 1024), 1))} MB"
