"""Builds the event log's FastAPI app, its subscriber and the retention job; nothing else."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from dvc_common.lease import Lease
from dvc_common.outbox import outbox_for
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_event_log.api import ROUTERS
from dvc_event_log.domain.credentials import IntegratorKeys
from dvc_event_log.handlers import EVENTS_QUEUE, consumers
from dvc_event_log.service.recording import Recorder
from dvc_event_log.service.retention import retention_job
from dvc_event_log.settings import EventLogSettings


def build(settings: EventLogSettings | None = None) -> FastAPI:
    settings = settings or EventLogSettings()
    recorder = Recorder(outbox_for(settings), timedelta(seconds=settings.source_order_wait_seconds))
    runtime = ServiceRuntime(settings, consumers(recorder))
    lease = Lease(
        runtime.transaction,
        table="event_log_lease",
        name="event-log.retention",
        ttl_seconds=settings.purge_lease_seconds,
    )
    purging = retention_job(runtime.transaction, lease, settings, inbox_consumer=EVENTS_QUEUE.name)
    app = create_app(
        runtime,
        title="DVC — Nhật ký sự kiện (event-log)",
        description=(
            "Nơi duy nhất phát sự kiện công khai lên sàn dvc.events: đánh số thứ tự liên tục theo từng hồ sơ "
            '(sequence), lưu lịch sử sự kiện công khai và cung cấp nguồn "thay đổi kể từ" cho đơn vị tích hợp '
            "(GET /api/v1/events, xác thực bằng khóa X-API-Key)."
        ),
        routers=ROUTERS,
        on_startup=[purging.on_startup],
        on_shutdown=[purging.on_shutdown],
    )
    app.state.settings = settings
    app.state.recorder = recorder
    app.state.integrator_keys = IntegratorKeys(settings.integrator_keys)
    app.state.retention = purging
    return app


app = build()
