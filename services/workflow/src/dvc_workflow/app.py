"""Builds workflow's FastAPI app, broker and deadline supervisor; nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from dvc_common import clock as system_clock
from dvc_common.client_address import TrustedProxies
from dvc_common.outbox import outbox_for
from dvc_common.ratelimit import lookup_limiter
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_common.worktime import load_calendar, parse_decision
from dvc_workflow.api import router
from dvc_workflow.domain.catalog import load_catalog
from dvc_workflow.handlers import consumers
from dvc_workflow.scheduler import deadline_supervisor
from dvc_workflow.service.catalog import publish_catalog
from dvc_workflow.service.context import Context, FormsConfig
from dvc_workflow.settings import WorkflowSettings


def build(
    settings: WorkflowSettings | None = None, *, clock: Callable[[], datetime] | None = None
) -> FastAPI:
    settings = settings or WorkflowSettings()
    calendar = load_calendar(settings.province)
    for decision in settings.calendar_decisions:
        calendar = calendar.with_decision(parse_decision(decision.read_text(encoding="utf-8")))
    ctx = Context(outbox_for(settings), calendar)
    runtime = ServiceRuntime(settings, consumers(ctx))
    catalog = load_catalog(settings.catalog_file)
    supervisor = deadline_supervisor(
        runtime.transaction,
        ctx,
        every=settings.supervisor_interval_seconds,
        lease_seconds=settings.supervisor_lease_seconds,
        clock=clock,
    )

    runtime.clock.on_change(lambda _: supervisor.wake())  # a clock jump: catch up on what fell due

    async def start(rt: ServiceRuntime) -> None:
        async with rt.transaction() as session:
            await publish_catalog(session, ctx.outbox, catalog)
        if settings.supervisor_enabled:
            supervisor.start()

    app = create_app(
        runtime,
        title="DVC — Quy trình xử lý hồ sơ (workflow)",
        description="Danh mục thủ tục, quy trình nội bộ và vòng đời hồ sơ.",
        routers=[router],
        on_startup=[start],
        on_shutdown=[supervisor.on_shutdown],
    )
    app.state.workflow = ctx
    app.state.forms = FormsConfig(settings.font_dir, settings.forms_place)
    app.state.clock = clock or system_clock.now
    app.state.supervisor = supervisor
    app.state.proxies = TrustedProxies.parse(settings.trusted_proxies)
    # Shared by the replicas (their database), per client and overall (dvc_common.ratelimit).
    app.state.lookup_limiter = lookup_limiter(runtime.engine.begin, "lookup", settings.lookup_per_minute)
    return app


app = build()
