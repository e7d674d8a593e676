"""Sync-national's use-cases, one module per group: dossier tracking (local copies and the change
log), the dispatcher that sends the log to the national portal in order, national submissions
fetched from the portal, operator views and reconciliation. They never commit: the boundary does.
"""

from __future__ import annotations

from dvc_sync_national.service.dispatcher import sync_due

__all__ = ["sync_due"]
