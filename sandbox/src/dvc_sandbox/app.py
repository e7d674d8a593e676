"""Builds the sandbox HTTP app; nothing else."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from dvc_common.clock import SYSTEM_CLOCK

from . import mail_api, payment_platform_api, population_api, portal_api, vneid_api, zalo_api
from .maildir import MailDirectory
from .portal_store import PortalStore
from .settings import SandboxSettings


def create_app(settings: SandboxSettings | None = None) -> FastAPI:
    settings = settings or SandboxSettings.from_env()
    app = FastAPI(
        title="Hộp cát các hệ thống quốc gia",
        description="Mô phỏng Cổng Dịch vụ công quốc gia và hộp thư nhận e-mail, dùng cho phát triển và kiểm thử.",
    )
    app.state.settings = settings
    app.state.portal = PortalStore()
    app.state.mail_dir = MailDirectory(settings.mail_dir)
    app.add_exception_handler(portal_api.PortalFailure, portal_api.portal_failure_handler)
    app.include_router(portal_api.router)
    app.include_router(portal_api.control_router)
    app.include_router(mail_api.router)
    zalo_api.install(app)
    vneid_api.install(app)
    population_api.install(app)
    payment_platform_api.install(app)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, Any]:
        # The simulators' time: the system clock they follow (SANDBOX_CLOCK_URL).
        clock = {"now": SYSTEM_CLOCK.now().isoformat(), "version": SYSTEM_CLOCK.setting.version}
        return {"status": "ok", "clock": clock}

    return app


app = create_app()
