"""Citizens: the online submission wizard (procedure → agency → e-form → components → delivery → channels → review)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
