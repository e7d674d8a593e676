"""The dossier lifecycle as national status codes (domain-rules §3). Grows with the workflow issue."""

from __future__ import annotations

from dvc_common.events import NATIONAL_STATUS_NAMES

NEWLY_REGISTERED = 1


def status_name(status: int) -> str:
    return NATIONAL_STATUS_NAMES[status]
