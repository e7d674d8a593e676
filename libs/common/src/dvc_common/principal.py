"""Who is calling: the principal a verified token names, and the officer roles (pure; no web framework)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    ONE_STOP_OFFICER = "one_stop_officer"  # cán bộ Bộ phận Một cửa
    PROCESSING_OFFICER = "processing_officer"  # chuyên viên xử lý
    DEPARTMENT_HEAD = "department_head"  # trưởng phòng
    AGENCY_LEADER = "agency_leader"  # lãnh đạo cơ quan
    AGENCY_ADMIN = "agency_admin"  # quản trị tài khoản của cơ quan
    PROVINCIAL_OPERATOR = "provincial_operator"  # Văn phòng UBND tỉnh / Trung tâm PVHCC
    QA_FOCAL_OFFICER = "qa_focal_officer"  # công chức đầu mối hỏi - đáp
    AUDITOR = "auditor"  # kiểm tra, thanh tra


PrincipalKind = Literal["officer", "citizen", "organisation"]


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the token says."""

    subject: str
    kind: PrincipalKind
    name: str | None = None
    agency_id: str | None = None
    roles: frozenset[str] = frozenset()
    position: str | None = None
    token_id: str | None = None
    # `iat` (identity issues it with millisecond precision); metadata, not part of who the caller is.
    issued_at: float | None = field(default=None, compare=False)

    @property
    def is_officer(self) -> bool:
        return self.kind == "officer"

    def has_any_role(self, *roles: Role) -> bool:
        return any(role.value in self.roles for role in roles)
