"""Workflow's HTTP routes, one module per group; `router` includes them all in the order they had."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_workflow.api import audit, catalog, dossiers, forms, processes, queues

router = APIRouter()
for module in (catalog, processes, dossiers, queues, audit, forms):
    router.include_router(module.router)
