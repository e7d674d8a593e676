"""Fixtures of intake's tests; the helpers live in intake_support.py (next to this file)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from intake_support import intake, intake_db_url

__all__ = ["intake", "intake_db_url"]
