"""Sync-national's named problems (RFC 9457), in Vietnamese."""

from __future__ import annotations

from dvc_common.problems import Problem


def dossier_not_synced(code: str) -> Problem:
    return Problem(
        404,
        "dossier-not-synced",
        "Không tìm thấy hồ sơ",
        f"Dịch vụ đồng bộ chưa ghi nhận hồ sơ «{code}».",
    )


def portal_unavailable(exc: Exception) -> Problem:
    return Problem(
        503,
        "portal-unavailable",
        "Cổng Dịch vụ công quốc gia không phục vụ",
        f"Không liên lạc được với Cổng Dịch vụ công quốc gia: {exc}",
    )
