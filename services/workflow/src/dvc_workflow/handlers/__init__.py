"""Workflow's broker subscribers."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.broker import Consumer, QueueSpec
from dvc_common.events import DOSSIER_SUBMITTED, PUBLIC_EXCHANGE, CloudEvent
from dvc_common.outbox import Outbox
from dvc_workflow import service

SUBMISSIONS_QUEUE = QueueSpec("workflow.submissions", PUBLIC_EXCHANGE, (DOSSIER_SUBMITTED.routing_key,))
QUEUES = (SUBMISSIONS_QUEUE,)


def consumers(outbox: Outbox) -> tuple[Consumer, ...]:
    async def on_submitted(session: AsyncSession, event: CloudEvent) -> None:
        await service.open_dossier(session, outbox, event)

    return (Consumer(SUBMISSIONS_QUEUE, on_submitted),)
