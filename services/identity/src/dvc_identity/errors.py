"""Identity's problems (RFC 9457), one named factory each, with the messages users read in Vietnamese."""

from __future__ import annotations

from typing import TypeVar

from dvc_common.problems import Problem

T = TypeVar("T")


def settled(outcome: T | Problem) -> T:
    """The result of a use-case that returned its refusal (so the refusal's trace was committed first)."""
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


def forbidden(detail: str) -> Problem:
    return Problem(403, "forbidden", "Không có quyền", detail)


# agencies
def agency_not_found(agency_id: str) -> Problem:
    return Problem(404, "agency-not-found", "Không tìm thấy cơ quan", f"Không có cơ quan {agency_id}.")


def agency_id_mismatch() -> Problem:
    return Problem(
        422, "id-mismatch", "Mã cơ quan không khớp", "Mã trong đường dẫn và nội dung phải giống nhau."
    )


def unknown_parent_agency(parent_id: str) -> Problem:
    return Problem(
        422, "unknown-parent-agency", "Không có cơ quan cấp trên", f"Không tìm thấy cơ quan {parent_id}."
    )


def unknown_agency(agency_id: str) -> Problem:
    return Problem(422, "unknown-agency", "Không có cơ quan", f"Không tìm thấy cơ quan {agency_id}.")


# officer accounts
def officer_not_found(detail: str = "Không có tài khoản này trong phạm vi quản lý.") -> Problem:
    return Problem(404, "officer-not-found", "Không tìm thấy tài khoản", detail)


def username_taken() -> Problem:
    return Problem(409, "username-taken", "Tên đăng nhập đã tồn tại", "Vui lòng chọn tên đăng nhập khác.")


def self_lock() -> Problem:
    return Problem(409, "self-lock", "Không thể tự khóa", "Không thể tự khóa tài khoản của chính mình.")


def not_agency_of_admin() -> Problem:
    return forbidden(
        "Chỉ quản trị tài khoản của chính cơ quan mới được cấp tài khoản cho cán bộ cơ quan đó;"
        " vai trò cấp tỉnh do Văn phòng UBND tỉnh cấp."
    )


def not_managed_by_you() -> Problem:
    return forbidden("Tài khoản này không thuộc phạm vi quản lý của bạn.")


def other_agency_listing() -> Problem:
    return forbidden("Bạn chỉ xem được tài khoản của cơ quan mình.")


def unknown_department(agency_id: str, names: list[str]) -> Problem:
    choices = "; ".join(names) if names else "cơ quan chưa có phòng, ban nào"
    return Problem(
        422,
        "unknown-department",
        "Không có phòng, ban này",
        f"Cơ quan {agency_id} không có phòng, ban với mã này. Chọn một trong: {choices}.",
    )


def no_email_for_credentials() -> Problem:
    return Problem(
        409,
        "no-email",
        "Tài khoản chưa có thư điện tử",
        "Mật khẩu tạm thời chỉ được gửi đến thư điện tử của chính cán bộ; cập nhật địa chỉ thư"
        " điện tử của tài khoản trước khi đặt lại mật khẩu.",
    )


def change_pending() -> Problem:
    return Problem(
        409,
        "change-pending",
        "Đang có đề nghị chờ phê duyệt",
        "Tài khoản này đang có một đề nghị thay đổi chờ người thứ hai phê duyệt; phê duyệt hoặc"
        " từ chối đề nghị đó trước.",
    )


def change_not_found() -> Problem:
    return Problem(
        404, "change-not-found", "Không tìm thấy đề nghị", "Không có đề nghị này trong phạm vi của bạn."
    )


def change_decided() -> Problem:
    return Problem(
        409, "change-decided", "Đề nghị đã được xử lý", "Đề nghị này đã được phê duyệt hoặc từ chối."
    )


def not_your_decision() -> Problem:
    return forbidden(
        "Thay đổi tài khoản quản trị ngang cấp cần người thứ hai phê duyệt: người đề nghị và chính"
        " chủ tài khoản không được phê duyệt."
    )


def own_roles() -> Problem:
    return forbidden("Không ai được tự cấp hoặc thay đổi vai trò của chính mình.")


# login and tokens
def bad_credentials() -> Problem:
    return Problem(
        401,
        "invalid-credentials",
        "Đăng nhập không thành công",
        "Tên đăng nhập hoặc mật khẩu không đúng. Sau nhiều lần nhập sai liên tiếp, tài khoản tạm khóa"
        " trong ít phút; vui lòng thử lại sau hoặc liên hệ quản trị tài khoản của cơ quan.",
    )


def locked() -> Problem:
    """An administrative lock, told only to someone who gave the right password (a temporary lock
    after wrong passwords is answered like a wrong password: no existence oracle)."""
    return Problem(
        423,
        "account-locked",
        "Tài khoản đã bị khóa",
        "Tài khoản đã bị khóa; vui lòng liên hệ quản trị tài khoản của cơ quan.",
    )


def too_many_attempts(wait_seconds: int) -> Problem:
    return Problem(
        429,
        "too-many-attempts",
        "Quá nhiều lần đăng nhập sai",
        f"Vui lòng thử lại sau {wait_seconds} giây.",
        headers={"Retry-After": str(wait_seconds)},
    )


def password_change_required() -> Problem:
    return Problem(
        403,
        "password-change-required",
        "Cần đổi mật khẩu",
        "Đây là lần đăng nhập đầu tiên hoặc mật khẩu vừa được cấp lại: vui lòng đổi mật khẩu"
        " (POST /api/v1/auth/password) rồi đăng nhập.",
    )


def weak_password(problems: list[str]) -> Problem:
    return Problem(422, "weak-password", "Mật khẩu mới chưa đạt yêu cầu", " ".join(problems), errors=problems)


def refresh_refused() -> Problem:
    return Problem(
        401,
        "invalid-refresh-token",
        "Phiên đăng nhập không còn hiệu lực",
        "Vui lòng đăng nhập lại.",
    )


# citizens (VNeID)
def vneid_unavailable() -> Problem:
    return Problem(
        503, "vneid-unavailable", "VNeID chưa sẵn sàng", "Không kết nối được VNeID; vui lòng thử lại sau."
    )


def vneid_refused(detail: str) -> Problem:
    return Problem(400, "vneid-login-rejected", "Đăng nhập VNeID không hợp lệ", detail)


def citizen_account_not_found() -> Problem:
    return Problem(404, "citizen-not-found", "Không tìm thấy tài khoản", "Vui lòng đăng nhập lại bằng VNeID.")


def malformed_identifier(detail: str) -> Problem:
    return Problem(422, "malformed-identifier", "Số định danh không hợp lệ", detail)


def no_vneid_account(kind: str) -> Problem:
    who = "công dân" if kind == "citizen" else "tổ chức"
    return Problem(
        404,
        "subject-not-found",
        "Không tìm thấy tài khoản định danh",
        f"Không có tài khoản VNeID nào của {who} mang số này. Đề nghị đối chiếu lại với giấy tờ;"
        f" nếu {who} chưa có tài khoản VNeID, hướng dẫn hoặc hỗ trợ tạo tài khoản định danh điện tử"
        " mức độ 1 trước khi tiếp nhận (Điều 10.1.a Quy chế tỉnh Lai Châu).",
    )


def citizens_only() -> Problem:
    return forbidden("Chỉ dành cho công dân, tổ chức.")


# population database
def locked_officer_grant() -> Problem:
    return Problem(
        409, "account-locked", "Tài khoản đã bị khóa", "Không cấp quyền cho tài khoản đang bị khóa."
    )


def commitment_in_future() -> Problem:
    return Problem(
        422,
        "commitment-in-future",
        "Ngày ký cam kết không hợp lệ",
        "Ngày ký cam kết không được ở tương lai.",
    )


def already_granted() -> Problem:
    return Problem(409, "already-granted", "Đã có quyền tra cứu", "Cán bộ này đã được cấp quyền tra cứu.")


def no_grant() -> Problem:
    return Problem(
        404, "no-grant", "Chưa có quyền tra cứu", "Cán bộ này không có quyền tra cứu đang hiệu lực."
    )


def lookup_not_granted() -> Problem:
    return forbidden("Tài khoản chưa được cấp quyền tra cứu Cơ sở dữ liệu quốc gia về dân cư.")


def population_unavailable() -> Problem:
    return Problem(503, "population-unavailable", "CSDL dân cư chưa sẵn sàng", "Vui lòng thử lại sau.")


def not_in_population() -> Problem:
    return Problem(
        404, "citizen-not-found", "Không tìm thấy công dân", "Không có công dân với số định danh này."
    )


# audit
def audit_readers_only() -> Problem:
    return forbidden("Chỉ quản trị, kiểm tra viên được xem nhật ký.")


# the system clock
def clock_fixed_in_production() -> Problem:
    return Problem(
        409,
        "clock-fixed",
        "Không thể chỉnh đồng hồ trong môi trường vận hành thật",
        "Môi trường này đang vận hành thật (ENVIRONMENT=production): đồng hồ hệ thống là giờ thật và "
        "không ai được chỉnh. Chỉ môi trường phát triển, kiểm thử và đào tạo mới cho chỉnh đồng hồ.",
    )


def clock_move_refused(reason: str) -> Problem:
    return Problem(409, "clock-backwards", "Không thể chỉnh đồng hồ như vậy", reason)
