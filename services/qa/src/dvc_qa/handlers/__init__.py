"""Q&A's broker subscribers (thin): keep local copies of agencies and procedures."""

from __future__ import annotations

from dvc_common.consumers import Consumer, on
from dvc_common.events import AGENCY_UPSERTED, PROCEDURE_PUBLISHED
from dvc_common.topology import QueueSpec
from dvc_qa.service.catalog import record_agency, record_procedure

CATALOG_QUEUE = QueueSpec.for_events("qa.catalog", AGENCY_UPSERTED, PROCEDURE_PUBLISHED)
QUEUES = (CATALOG_QUEUE,)


def consumers() -> tuple[Consumer, ...]:
    return (
        Consumer.of(
            CATALOG_QUEUE, on(AGENCY_UPSERTED, record_agency), on(PROCEDURE_PUBLISHED, record_procedure)
        ),
    )
