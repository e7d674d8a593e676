"""Dossier code (mã hồ sơ): `<agency identifier>-<YYMMDD>-<NNNN>`, domain-rules §3."""

from __future__ import annotations

import re
from datetime import date

AGENCY_ID = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$")
DOSSIER_CODE = re.compile(r"^(?P<agency>[0-9A-Z.]+)-(?P<day>\d{6})-(?P<seq>\d{4})$")
MAX_PER_DAY = 9999


class CodeSpaceExhausted(Exception):
    """More than 9,999 dossiers in one day for one agency: the national format has no room."""


def dossier_code(agency_id: str, day: date, sequence: int) -> str:
    if not AGENCY_ID.match(agency_id):
        raise ValueError(f"not a standard agency identifier: {agency_id!r}")
    if not 1 <= sequence <= MAX_PER_DAY:
        raise CodeSpaceExhausted(f"sequence {sequence} outside 1..{MAX_PER_DAY} for {agency_id} on {day}")
    return f"{agency_id}-{day:%y%m%d}-{sequence:04d}"


def is_dossier_code(value: str) -> bool:
    return DOSSIER_CODE.match(value) is not None
