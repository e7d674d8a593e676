"""Builds sync-national's FastAPI app, broker and background loops; nothing else."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import FastAPI

from dvc_common.auth import TokenVerifier
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_sync_national.api import operators
from dvc_sync_national.handlers import consumers
from dvc_sync_national.portal import PortalClient
from dvc_sync_national.service.context import SyncContext
from dvc_sync_national.settings import SyncNationalSettings
from dvc_sync_national.worker import SyncWorker


def build(settings: SyncNationalSettings | None = None, verifier: TokenVerifier | None = None) -> FastAPI:
    settings = settings or SyncNationalSettings()
    portal = PortalClient(
        settings.portal_url, settings.portal_api_key.get_secret_value(), settings.portal_timeout_seconds
    )
    runtime = ServiceRuntime(settings, consumers())
    worker = SyncWorker(runtime, portal, settings)

    async def start_worker(rt: ServiceRuntime) -> None:
        worker.start()

    async def close(rt: ServiceRuntime) -> None:
        await worker.stop()
        await portal.close()

    app = create_app(
        runtime,
        title="DVC — Đồng bộ Cổng Dịch vụ công quốc gia (sync-national)",
        description="Đồng bộ trạng thái và quá trình xử lý hồ sơ lên Cổng Dịch vụ công quốc gia, "
        "nhận hồ sơ nộp trên Cổng, đối soát.",
        routers=[operators.router],
        on_startup=[start_worker],
        on_shutdown=[close],
    )
    app.state.sync = SyncContext(portal=portal, tz=ZoneInfo(settings.timezone), wake_dispatcher=worker.notify)
    if verifier is not None:
        app.state.token_verifier = verifier
    return app


app = build()
