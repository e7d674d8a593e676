"""Workflow's use-cases, one module per group. They never commit: the request or message boundary does.

The names below are the ones callers outside the package use (handlers, the app, tests, the benchmark).
"""

from __future__ import annotations

from dvc_workflow.schemas import ActionRequest
from dvc_workflow.service.audit import verify_audit
from dvc_workflow.service.catalog import publish_catalog
from dvc_workflow.service.context import SYSTEM, Context
from dvc_workflow.service.lifecycle import transition
from dvc_workflow.service.payments import payment_completed
from dvc_workflow.service.queues import work_queue
from dvc_workflow.service.submissions import open_dossier, supplement_uploaded
from dvc_workflow.service.supervision import supervise

__all__ = [
    "SYSTEM",
    "ActionRequest",
    "Context",
    "open_dossier",
    "payment_completed",
    "publish_catalog",
    "supervise",
    "supplement_uploaded",
    "transition",
    "verify_audit",
    "work_queue",
]
