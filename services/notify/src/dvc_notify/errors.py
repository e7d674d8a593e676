"""Notify's named problems (Vietnamese messages for officers and the provincial operator)."""

from __future__ import annotations

from dvc_common.problems import Problem
from dvc_notify.domain.rendering import TemplateInvalid


def template_not_found(event_type: str, channel: str) -> Problem:
    """No template is kept for this event type and channel."""
    return Problem(404, "unknown-template", "Không có mẫu này", f"Chưa có mẫu cho {event_type} / {channel}.")


def template_kind_unknown(event_type: str, channel: str) -> Problem:
    """The event type is not in the catalog, or the channel is not one notify sends on."""
    return Problem(
        404,
        "unknown-template",
        "Không có mẫu này",
        f"Không có loại sự kiện «{event_type}» hoặc kênh «{channel}» (email, zalo).",
    )


def template_missing(routing_key: str, channel: str) -> Problem:
    """An event to notify about has no template for a chosen channel (a deployment fault)."""
    return Problem(500, "no-template", "Thiếu mẫu thông báo", f"Chưa có mẫu cho {routing_key} / {channel}.")


def template_invalid(exc: TemplateInvalid) -> Problem:
    return Problem(
        422,
        "invalid-template",
        "Mẫu thông báo không hợp lệ",
        f"Phần «{exc.part}» của mẫu lỗi: {exc.error}",
        part=exc.part,
    )


def template_conflict() -> Problem:
    return Problem(
        409, "template-conflict", "Mẫu vừa được sửa", "Mẫu vừa được người khác sửa; vui lòng tải lại."
    )


def dossier_not_found(code: str) -> Problem:
    """Also what someone who may not read a dossier's deliveries gets: no existence oracle."""
    return Problem(
        404,
        "dossier-not-found",
        "Không tìm thấy hồ sơ",
        f"Không có thông báo nào của hồ sơ «{code}» cho bạn.",
    )
