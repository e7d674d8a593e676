"""Payments' broker subscribers (thin): the catalog's fees; a dossier that must pay gets a payment request."""

from __future__ import annotations

from typing import Any

from dvc_common.broker import Consumer, Handler, QueueSpec, dispatch
from dvc_common.events import (
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    PROCEDURE_PUBLISHED,
    PUBLIC_EXCHANGE,
    EventType,
)
from dvc_payments.service import Payments

DOSSIER_QUEUE = QueueSpec(
    "payments.dossier-events",
    PUBLIC_EXCHANGE,
    (PROCEDURE_PUBLISHED.routing_key, DOSSIER_SUBMITTED.routing_key, DOSSIER_STATUS_CHANGED.routing_key),
)
QUEUES = (DOSSIER_QUEUE,)


def consumers(payments: Payments) -> tuple[Consumer, ...]:
    handlers: dict[EventType[Any], Handler] = {
        PROCEDURE_PUBLISHED: payments.on_procedure_published,
        DOSSIER_SUBMITTED: payments.on_dossier_submitted,
        DOSSIER_STATUS_CHANGED: payments.on_status_changed,
    }
    return (Consumer(DOSSIER_QUEUE, dispatch(handlers)),)
