"""Fixtures of workflow's tests; the helpers live in workflow_support.py (next to this file)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from workflow_support import workflow, workflow_db_url

__all__ = ["workflow", "workflow_db_url"]
