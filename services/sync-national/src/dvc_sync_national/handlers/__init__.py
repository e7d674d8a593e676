"""Sync-national's broker subscribers: they only record facts and changes (no portal call here)."""

from __future__ import annotations

from dvc_common.broker import Consumer, QueueSpec, dispatch
from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    INTERNAL_EXCHANGE,
    PROCEDURE_PUBLISHED,
    PUBLIC_EXCHANGE,
)
from dvc_sync_national.service import tracking

DOSSIER_EVENTS_QUEUE = QueueSpec(
    "sync-national.dossier-events",
    PUBLIC_EXCHANGE,
    (PROCEDURE_PUBLISHED.routing_key, DOSSIER_SUBMITTED.routing_key, DOSSIER_STATUS_CHANGED.routing_key),
)
CONTACTS_QUEUE = QueueSpec(
    "sync-national.contacts", INTERNAL_EXCHANGE, (DOSSIER_CONTACT_REGISTERED.routing_key,)
)
QUEUES = (DOSSIER_EVENTS_QUEUE, CONTACTS_QUEUE)


def consumers() -> tuple[Consumer, ...]:
    return (
        Consumer(
            DOSSIER_EVENTS_QUEUE,
            dispatch(
                {
                    PROCEDURE_PUBLISHED: tracking.record_procedure,
                    DOSSIER_SUBMITTED: tracking.record_submission,
                    DOSSIER_STATUS_CHANGED: tracking.record_status,
                }
            ),
        ),
        Consumer(CONTACTS_QUEUE, tracking.record_contact),
    )
