"""One-stop officers: counter intake (applicant by CCCD / organisation code, e-form, scans, Mẫu 01)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
