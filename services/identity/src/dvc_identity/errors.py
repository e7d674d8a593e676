"""Identity's problems (RFC 9457), named, with the messages users read in Vietnamese."""

from __future__ import annotations

from datetime import datetime

from dvc_common.problems import Problem


def forbidden(detail: str) -> Problem:
    return Problem(403, "forbidden", "Không có quyền", detail)


def bad_credentials() -> Problem:
    return Problem(
        401, "invalid-credentials", "Đăng nhập không thành công", "Tên đăng nhập hoặc mật khẩu không đúng."
    )


def locked(until: datetime | None = None) -> Problem:
    if until is not None:
        return Problem(
            423,
            "account-temporarily-locked",
            "Tài khoản tạm khóa",
            "Đăng nhập sai quá số lần cho phép; vui lòng thử lại sau.",
            locked_until=until.isoformat(),
        )
    return Problem(
        423,
        "account-locked",
        "Tài khoản đã bị khóa",
        "Tài khoản đã bị khóa; vui lòng liên hệ quản trị tài khoản của cơ quan.",
    )


def refresh_refused() -> Problem:
    return Problem(
        401,
        "invalid-refresh-token",
        "Phiên đăng nhập không còn hiệu lực",
        "Vui lòng đăng nhập lại.",
    )


def vneid_unavailable() -> Problem:
    return Problem(
        503, "vneid-unavailable", "VNeID chưa sẵn sàng", "Không kết nối được VNeID; vui lòng thử lại sau."
    )


def vneid_refused(detail: str) -> Problem:
    return Problem(400, "vneid-login-rejected", "Đăng nhập VNeID không hợp lệ", detail)
