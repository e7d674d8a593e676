"""What the portal tells people when something cannot be done, in Vietnamese; and the refusals of
the services it calls (their problem+json, whose titles and details are already Vietnamese)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Refused(Exception):
    """A service answered 4xx/5xx with problem+json (RFC 9457)."""

    status: int
    title: str
    detail: str
    body: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"

    @property
    def kind(self) -> str:
        return str(self.body.get("type", "")).rsplit("/", 1)[-1]


@dataclass
class PageError(Exception):
    """A page that cannot be shown; rendered as an error page with this status."""

    status: int
    title: str
    detail: str


@dataclass
class SignInRequired(Exception):
    """The page needs a signed-in officer or citizen; the browser is sent to sign in, then back."""

    audience: str  # "officer" or "citizen"
    next_url: str
    message: str | None = None


def unavailable(service: str) -> PageError:
    return PageError(
        503,
        "Dịch vụ tạm thời gián đoạn",
        f"Chưa kết nối được {service}. Vui lòng thử lại sau ít phút.",
    )


def from_refusal(refused: Refused) -> PageError:
    return PageError(refused.status, refused.title, refused.detail)


def not_found() -> PageError:
    return PageError(404, "Không tìm thấy trang", "Địa chỉ này không có trên Cổng dịch vụ công.")


def procedure_not_found(code: str) -> PageError:
    return PageError(404, "Không tìm thấy thủ tục", f"Không có thủ tục hành chính mã {code}.")


def csrf_failed() -> PageError:
    return PageError(
        403,
        "Biểu mẫu không còn hợp lệ",
        "Phiên làm việc đã hết hạn hoặc biểu mẫu không gửi từ trang này. Vui lòng tải lại trang và thử lại.",
    )


def session_ended() -> str:
    return "Phiên đăng nhập đã hết hạn hoặc không còn hiệu lực. Vui lòng đăng nhập lại."


def officers_only() -> PageError:
    return PageError(403, "Không có quyền", "Trang này dành cho cán bộ, công chức.")


def passwords_differ() -> str:
    return "Mật khẩu mới nhập lại không khớp."


def dossier_moved_on(detail: str) -> str:
    return (
        "Hồ sơ đã được người khác xử lý trước khi thao tác của bạn được gửi đi, nên thao tác chưa được"
        f" thực hiện. {detail} Trang đã được tải lại với tình trạng mới nhất; vui lòng xem lại rồi thao tác."
    )
