"""Fixtures of payments' tests; the helpers live in payments_support.py (next to this file)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from payments_support import engine, payments, payments_db_url, platform_sim

__all__ = ["engine", "payments", "payments_db_url", "platform_sim"]
