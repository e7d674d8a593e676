"""Q&A: citizens ask and follow their questions, anyone searches answers and the FAQ; officers answer at the desk."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
