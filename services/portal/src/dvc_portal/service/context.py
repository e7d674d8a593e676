"""What every use-case of the portal needs: the services' clients, the sessions' database, settings."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock as system_clock
from dvc_common.tokens import TokenVerifier
from dvc_portal.service.http import ServiceApi
from dvc_portal.settings import PortalSettings

Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def now_utc() -> datetime:
    return system_clock.now()


@dataclass
class Portal:
    settings: PortalSettings
    transaction: Transaction
    verifier: TokenVerifier
    identity: ServiceApi
    workflow: ServiceApi
    intake: ServiceApi
    clock: Callable[[], datetime] = field(default=now_utc)

    @classmethod
    def of(
        cls,
        settings: PortalSettings,
        transaction: Transaction,
        verifier: TokenVerifier,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> Portal:
        timeout = settings.http_timeout_seconds
        return cls(
            settings,
            transaction,
            verifier,
            ServiceApi("dịch vụ tài khoản (identity)", settings.identity_url, timeout, transport),
            ServiceApi("dịch vụ xử lý hồ sơ (workflow)", settings.workflow_url, timeout, transport),
            ServiceApi("dịch vụ tiếp nhận hồ sơ (intake)", settings.intake_url, timeout, transport),
        )

    async def close(self) -> None:
        for api in (self.identity, self.workflow, self.intake):
            await api.close()
