"""Fixtures of sync-national's tests; the helpers live in sync_support.py (next to this file)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from sync_support import engine, sync, sync_db_url

__all__ = ["engine", "sync", "sync_db_url"]
