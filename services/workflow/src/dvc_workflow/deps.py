"""Annotated dependency aliases of workflow's routes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from dvc_common.client_address import request_client_address
from dvc_common.http_auth import current_principal, require_roles
from dvc_common.principal import Principal, Role
from dvc_common.ratelimit import ClientLimiter
from dvc_common.runtime import RuntimeDep
from dvc_workflow import errors
from dvc_workflow.service.context import Context, FormsConfig

Runtime = RuntimeDep


def _ctx(request: Request) -> Context:
    ctx: Context = request.app.state.workflow
    return ctx


def _now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def _forms(request: Request) -> FormsConfig:
    forms: FormsConfig = request.app.state.forms
    return forms


Ctx = Annotated[Context, Depends(_ctx)]
Now = Annotated[datetime, Depends(_now)]
Forms = Annotated[FormsConfig, Depends(_forms)]


async def _reader(request: Request) -> Principal | None:
    """The caller of a route anyone may call: None without a token; a token must be valid (401)."""
    if not request.headers.get("authorization"):
        return None
    return await current_principal(request)


Reader = Annotated[Principal | None, Depends(_reader)]


def _client_address(request: Request) -> str:
    """The client's address, believing X-Forwarded-For only from the configured trusted proxies."""
    return request_client_address(request, request.app.state.proxies) or "unknown"


ClientAddress = Annotated[str, Depends(_client_address)]


@dataclass(frozen=True)
class LookupQuota:
    """The client's allowance of anonymous look-ups (DVC_WORKFLOW_LOOKUP_PER_MINUTE)."""

    limiter: ClientLimiter
    client: str

    async def spend(self) -> None:
        """Count one look-up; 429 with Retry-After once the client used its minute."""
        wait = await self.limiter.allow(self.client)
        if wait is not None:
            raise errors.too_many_lookups(wait)


def _lookup_quota(request: Request, client: ClientAddress) -> LookupQuota:
    return LookupQuota(request.app.state.lookup_limiter, client)


Lookups = Annotated[LookupQuota, Depends(_lookup_quota)]
Officer = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.ONE_STOP_OFFICER,
            Role.PROCESSING_OFFICER,
            Role.DEPARTMENT_HEAD,
            Role.AGENCY_LEADER,
            Role.PROVINCIAL_OPERATOR,
        )
    ),
]
ProcessAdmin = Annotated[
    Principal, Depends(require_roles(Role.AGENCY_LEADER, Role.AGENCY_ADMIN, Role.PROVINCIAL_OPERATOR))
]
Operator = Annotated[Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR))]
Auditor = Annotated[Principal, Depends(require_roles(Role.AUDITOR, Role.PROVINCIAL_OPERATOR))]
