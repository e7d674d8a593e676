"""Citizens: what was sent to me and through which channel (the portal inbox)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
