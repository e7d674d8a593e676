"""Citizens: paying a fee through the national payment platform, the return page, the receipt."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
