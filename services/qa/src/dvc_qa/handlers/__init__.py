"""Q&A's broker subscribers (thin): keep local copies of agencies and procedures."""

from __future__ import annotations

from dvc_common.broker import Consumer, QueueSpec, dispatch
from dvc_common.events import AGENCY_UPSERTED, PROCEDURE_PUBLISHED, PUBLIC_EXCHANGE
from dvc_qa.service.catalog import record_agency, record_procedure

CATALOG_QUEUE = QueueSpec(
    "qa.catalog", PUBLIC_EXCHANGE, (AGENCY_UPSERTED.routing_key, PROCEDURE_PUBLISHED.routing_key)
)
QUEUES = (CATALOG_QUEUE,)


def consumers() -> tuple[Consumer, ...]:
    return (
        Consumer(
            CATALOG_QUEUE,
            dispatch({AGENCY_UPSERTED: record_agency, PROCEDURE_PUBLISHED: record_procedure}),
        ),
    )
