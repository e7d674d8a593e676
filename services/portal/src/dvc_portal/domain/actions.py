"""The form of each dossier action workflow offers, and the request body built from what the officer
filled in. Which actions are allowed, and whether a field is required, is workflow's to decide: the
portal shows the actions it lists and its answer to what was sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

FieldKind = Literal["textarea", "text", "number", "select"]


@dataclass(frozen=True, slots=True)
class ActionField:
    name: str
    label: str
    kind: FieldKind = "textarea"
    hint: str = ""
    options: str = ""  # select: where the choices come from (filled in by the page)


REASON = ActionField("reason", "Lý do")
ACTION_FIELDS: dict[str, tuple[ActionField, ...]] = {
    "accept": (),
    "resubmit": (),
    "reject": (ActionField("reason", "Lý do từ chối", hint="Ghi rõ lý do; nội dung in trên Mẫu 03."),),
    "request_supplement": (
        ActionField(
            "reason",
            "Nội dung yêu cầu bổ sung",
            hint="Liệt kê từng giấy tờ cần bổ sung, hoàn thiện và lý do; nội dung in trên Mẫu 02.",
        ),
    ),
    "assign": (
        ActionField("assignee", "Cán bộ được phân công", kind="select", options="colleagues"),
        ActionField("department", "Phòng chuyên môn", kind="text"),
    ),
    "forward": (
        ActionField("next_step", "Bước tiếp theo (mã bước, để trống: bước mặc định)", kind="text"),
        ActionField("reason", "Ý kiến xử lý"),
    ),
    "send_back": (ActionField("to_step", "Trả lại bước (mã bước)", kind="text"), REASON),
    "transfer": (
        ActionField("agency_id", "Cơ quan nhận liên thông", kind="select", options="agencies"),
        REASON,
    ),
    "extend": (
        ActionField("extension_value", "Thời gian gia hạn", kind="number"),
        ActionField("extension_unit", "Đơn vị", kind="select", options="units"),
        ActionField("reason", "Lý do gia hạn (gửi kèm văn bản xin lỗi, Mẫu 04)"),
    ),
    "stop": (ActionField("reason", "Lý do dừng xử lý (Mẫu 05)"),),
    "withdraw": (ActionField("reason", "Lý do rút hồ sơ (theo đề nghị của người nộp)"),),
    "return_result": (
        ActionField("delivery_method", "Hình thức trả kết quả", kind="select", options="delivery"),
    ),
}
EXTENSION_UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc"}
DELIVERY_METHODS = {"counter": "Tại Bộ phận Một cửa", "post": "Qua bưu chính", "online": "Trực tuyến"}


def fields_of(action: str) -> tuple[ActionField, ...]:
    return ACTION_FIELDS.get(action, (REASON,))


def body_of(action: str, form: Mapping[str, str], expected_version: int | None) -> dict[str, Any]:
    """The JSON workflow's action endpoint reads; empty fields are left out (workflow says what is
    missing)."""
    sent = {f.name: form.get(f.name, "").strip() for f in fields_of(action)}
    body: dict[str, Any] = {"expected_version": expected_version} if expected_version else {}
    for name in ("reason", "next_step", "to_step", "department", "agency_id", "delivery_method"):
        if sent.get(name):
            body[name] = sent[name]
    if sent.get("assignee"):
        subject, _, name = sent["assignee"].partition("|")
        body["assignee_subject"] = subject
        if name:
            body["assignee_name"] = name
    if sent.get("extension_value"):
        try:
            value = float(sent["extension_value"].replace(",", "."))
        except ValueError:
            value = 0
        body["extension"] = {"value": value, "unit": sent.get("extension_unit") or "working_days"}
    return body
