"""Intake's broker subscribers: each parses nothing itself and calls one use-case."""

from __future__ import annotations

from dvc_common.broker import Consumer, QueueSpec
from dvc_common.events import DOSSIER_STATUS_CHANGED, PROCEDURE_PUBLISHED, PUBLIC_EXCHANGE

from dvc_intake import service

CATALOG_QUEUE = QueueSpec("intake.catalog", PUBLIC_EXCHANGE, (PROCEDURE_PUBLISHED.routing_key,))
STATUS_QUEUE = QueueSpec("intake.dossier-status", PUBLIC_EXCHANGE, (DOSSIER_STATUS_CHANGED.routing_key,))
QUEUES = (CATALOG_QUEUE, STATUS_QUEUE)

CONSUMERS = (
    Consumer(CATALOG_QUEUE, service.record_procedure),
    Consumer(STATUS_QUEUE, service.record_status),
)
