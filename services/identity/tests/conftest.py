"""Fixtures of identity's tests; the helpers live in identity_support.py (next to this file)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from identity_support import env, identity_db, identity_vhost

__all__ = ["env", "identity_db", "identity_vhost"]
