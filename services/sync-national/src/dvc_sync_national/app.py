"""Builds sync-national's FastAPI app, broker and background jobs; nothing else."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import FastAPI

from dvc_common.runtime import ServiceRuntime, create_app
from dvc_common.tokens import TokenVerifier
from dvc_sync_national.api import operators
from dvc_sync_national.handlers import consumers
from dvc_sync_national.portal import PortalClient
from dvc_sync_national.service.context import SyncContext
from dvc_sync_national.service.jobs import dispatcher_job, inbound_job
from dvc_sync_national.settings import SyncNationalSettings


def build(settings: SyncNationalSettings | None = None, verifier: TokenVerifier | None = None) -> FastAPI:
    settings = settings or SyncNationalSettings()
    portal = PortalClient(
        settings.portal_url, settings.portal_api_key.get_secret_value(), settings.portal_timeout_seconds
    )
    runtime = ServiceRuntime(settings, consumers())
    dispatch = dispatcher_job(runtime.transaction, portal, settings)
    jobs = [dispatch]
    if settings.inbound_poll_seconds > 0:
        jobs.append(inbound_job(runtime.transaction, runtime.outbox, portal, settings))

    def catch_up(_: object) -> None:  # a clock jump: retries that fell due in it
        for job in jobs:
            job.wake()

    runtime.clock.on_change(catch_up)

    async def start_jobs(rt: ServiceRuntime) -> None:
        for job in jobs:
            job.start()

    async def close(rt: ServiceRuntime) -> None:
        for job in jobs:
            await job.stop()
        await portal.close()

    app = create_app(
        runtime,
        title="DVC — Đồng bộ Cổng Dịch vụ công quốc gia (sync-national)",
        description="Đồng bộ trạng thái và quá trình xử lý hồ sơ lên Cổng Dịch vụ công quốc gia, "
        "nhận hồ sơ nộp trên Cổng, đối soát.",
        routers=[operators.router],
        on_startup=[start_jobs],
        on_shutdown=[close],
    )
    app.state.sync = SyncContext(portal=portal, tz=ZoneInfo(settings.timezone), wake_dispatcher=dispatch.wake)
    if verifier is not None:
        app.state.token_verifier = verifier
    return app


app = build()
