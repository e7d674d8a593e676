"""The event log's HTTP routes."""

from __future__ import annotations

from dvc_event_log.api import events

ROUTERS = (events.router,)
