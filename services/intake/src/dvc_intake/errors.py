"""Intake's named problems (RFC 9457), in Vietnamese."""

from __future__ import annotations

from dvc_common.problems import Problem


def dossier_not_found(code: str) -> Problem:
    """Also what someone who may not read a dossier gets: no existence oracle."""
    return Problem(404, "dossier-not-found", "Không tìm thấy hồ sơ", f"Không có hồ sơ mang mã «{code}».")
