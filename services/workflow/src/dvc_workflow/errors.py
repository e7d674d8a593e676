"""Workflow's named problems (RFC 9457), with the Vietnamese a caller reads."""

from __future__ import annotations

from dvc_common.problems import Problem


def dossier_not_found(code: str) -> Problem:
    return Problem(404, "dossier-not-found", "Không tìm thấy hồ sơ", f"Không có hồ sơ mang mã «{code}».")
