"""The provincial operator: catalog, calendar decisions, templates, fees, dead letters, national-portal sync."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
