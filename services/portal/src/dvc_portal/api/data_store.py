"""Citizens: my data store (documents, results, receipts the state already holds)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
