"""Builds sync-national's FastAPI app and broker; nothing else."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dvc_common.runtime import ServiceRuntime, create_app
from fastapi import FastAPI

from dvc_sync_national.handlers import consumers
from dvc_sync_national.portal import PortalClient
from dvc_sync_national.settings import SyncNationalSettings


def build(settings: SyncNationalSettings | None = None) -> FastAPI:
    settings = settings or SyncNationalSettings()
    portal = PortalClient(
        settings.portal_url, settings.portal_api_key.get_secret_value(), settings.portal_timeout_seconds
    )
    runtime = ServiceRuntime(settings, consumers(portal, ZoneInfo(settings.timezone)))

    async def close_portal(rt: ServiceRuntime) -> None:
        await portal.close()

    return create_app(
        runtime,
        title="DVC — Đồng bộ Cổng Dịch vụ công quốc gia (sync-national)",
        description="Đồng bộ trạng thái và quá trình xử lý hồ sơ lên Cổng Dịch vụ công quốc gia.",
        on_shutdown=[close_portal],
    )


app = build()
