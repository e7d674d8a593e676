"""Fixtures of the event log's tests; the helpers live in event_log_support.py (next to this file)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from event_log_support import event_log, event_log_db_url, producers, producers_db_url, vhost_url

__all__ = ["event_log", "event_log_db_url", "producers", "producers_db_url", "vhost_url"]
