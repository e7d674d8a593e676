"""Notify's HTTP routes, one module per resource."""

from __future__ import annotations

from dvc_notify.api import deliveries, templates

ROUTERS = (deliveries.router, templates.router)
