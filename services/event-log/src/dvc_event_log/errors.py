"""The event log's named problems (Vietnamese, for the integrator's developers)."""

from __future__ import annotations

from dvc_common.problems import Problem


def not_authenticated() -> Problem:
    return Problem(
        401,
        "integrator-key-required",
        "Chưa xác thực",
        "Cần khóa truy cập (API key) hợp lệ của đơn vị tích hợp trong tiêu đề X-API-Key.",
        headers={"WWW-Authenticate": 'ApiKey header="X-API-Key"'},
    )


def invalid_cursor(cursor: str) -> Problem:
    return Problem(
        422,
        "invalid-cursor",
        "Con trỏ không hợp lệ",
        f"Giá trị after={cursor!r} không phải con trỏ do nguồn sự kiện cấp: dùng giá trị 'next' của trang "
        "trước, hoặc bỏ trống (hay 0) để đọc từ sự kiện cũ nhất còn lưu.",
        field="after",
    )


def unknown_types(types: list[str]) -> Problem:
    return Problem(
        422,
        "unknown-event-type",
        "Loại sự kiện không có trong danh mục công khai",
        f"Không có loại sự kiện công khai: {', '.join(types)}. Dùng thuộc tính type của CloudEvents, "
        "ví dụ vn.dvc.dossier.status_changed.v1 (danh sách trong docs/events.md).",
        field="type",
        unknown=types,
    )


def cursor_expired(purged_through: int) -> Problem:
    return Problem(
        410,
        "cursor-expired",
        "Con trỏ đã quá thời hạn lưu trữ",
        "Các sự kiện sau con trỏ này đã bị xóa theo thời hạn lưu trữ; hãy đồng bộ lại từ đầu (after=0) "
        "rồi tiếp tục theo dõi sàn dvc.events.",
        purged_through=str(purged_through),
    )
