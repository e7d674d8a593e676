"""Fixtures of notify's tests; the helpers live in notify_support.py (next to this file)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from notify_support import engine, notify, notify_db_url, smtp, zalo_sim

__all__ = ["engine", "notify", "notify_db_url", "smtp", "zalo_sim"]
