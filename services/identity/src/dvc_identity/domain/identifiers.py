"""Identifiers a one-stop officer reads off a person's papers: CCCD / personal identification number
(12 digits, the first three the province of birth registration, 001–096) or an organisation's code
(its tax code: 10 digits, a branch adds -NNN)."""

from __future__ import annotations

import re
from typing import Literal

SubjectKind = Literal["citizen", "organisation"]

_PERSONAL_ID = re.compile(r"[0-9]{12}")
_ORGANISATION_CODE = re.compile(r"[0-9]{10}(-[0-9]{3})?")
_LAST_PROVINCE_CODE = 96


def malformed(kind: SubjectKind, identifier: str) -> str | None:
    """Why `identifier` cannot be a `kind`'s identifier (in Vietnamese), or None when it can."""
    if kind == "citizen":
        if not _PERSONAL_ID.fullmatch(identifier):
            return "Số định danh cá nhân (số CCCD) phải gồm đúng 12 chữ số."
        if not 1 <= int(identifier[:3]) <= _LAST_PROVINCE_CODE:
            return "Ba chữ số đầu của số định danh cá nhân phải là mã tỉnh nơi đăng ký khai sinh (001–096)."
        return None
    if not _ORGANISATION_CODE.fullmatch(identifier):
        return (
            "Mã số của tổ chức (mã số thuế) gồm 10 chữ số, đơn vị phụ thuộc thêm dấu gạch ngang và 3 chữ số."
        )
    return None
