"""Fixtures of qa's tests; the helpers live in qa_support.py (next to this file)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from qa_support import api, qa_db_url, ring

__all__ = ["api", "qa_db_url", "ring"]
