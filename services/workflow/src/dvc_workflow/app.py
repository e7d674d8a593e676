"""Builds workflow's FastAPI app and broker; nothing else."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_common.outbox import outbox_for
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_workflow import service
from dvc_workflow.api.routes import router
from dvc_workflow.domain.catalog import load_catalog
from dvc_workflow.handlers import consumers
from dvc_workflow.settings import WorkflowSettings


def build(settings: WorkflowSettings | None = None) -> FastAPI:
    settings = settings or WorkflowSettings()
    runtime = ServiceRuntime(settings, consumers(outbox_for(settings)))
    catalog = load_catalog(settings.catalog_file)

    async def publish_catalog(rt: ServiceRuntime) -> None:
        async with rt.transaction() as session:
            await service.publish_catalog(session, rt.outbox, catalog)

    return create_app(
        runtime,
        title="DVC — Quy trình xử lý hồ sơ (workflow)",
        description="Danh mục thủ tục, quy trình nội bộ và vòng đời hồ sơ.",
        routers=[router],
        on_startup=[publish_catalog],
    )


app = build()
