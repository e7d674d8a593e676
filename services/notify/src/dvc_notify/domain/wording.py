"""Vietnamese words for the codes events carry, so that no letter says "online" or "counter"."""

from __future__ import annotations

import re
from typing import Any

DELIVERY_METHODS = {
    "counter": "trực tiếp tại Bộ phận Tiếp nhận và Trả kết quả",
    "post": "qua dịch vụ bưu chính công ích",
    "online": "trực tuyến",
}
SUBMISSION_CHANNELS = {1: "trực tiếp", 2: "trực tuyến", 3: "qua dịch vụ bưu chính công ích"}
DEADLINE_KINDS = {"intake": "tiếp nhận hồ sơ", "processing": "trả kết quả", "step": "bước xử lý"}
ROLE_NAMES = {
    "one_stop_officer": "công chức Bộ phận Một cửa",
    "processing_officer": "công chức xử lý hồ sơ",
    "department_head": "lãnh đạo phòng",
    "agency_leader": "lãnh đạo cơ quan",
}

# Notes machine-written by the workflow that carry a code: "Trả kết quả: online".
_RESULT_NOTE = re.compile(r"^(Trả kết quả): (counter|post|online)$")


def delivery_method(value: Any) -> str:
    return DELIVERY_METHODS.get(str(value), str(value))


def submission_channel(value: Any) -> str:
    return SUBMISSION_CHANNELS.get(value, str(value)) if isinstance(value, int) else str(value)


def deadline_kind(value: Any) -> str:
    return DEADLINE_KINDS.get(str(value), str(value))


def readable_note(note: Any) -> str:
    """An officer's note as the applicant reads it: a delivery method code becomes its words."""
    if note is None:
        return ""
    text = str(note)
    match = _RESULT_NOTE.match(text)
    return f"{match.group(1)} {DELIVERY_METHODS[match.group(2)]}" if match else text
