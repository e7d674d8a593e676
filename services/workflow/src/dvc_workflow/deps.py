"""Annotated dependency aliases of workflow's routes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from dvc_common.http_auth import require_roles
from dvc_common.principal import Principal, Role
from dvc_common.runtime import RuntimeDep
from dvc_workflow.service.context import Context

Runtime = RuntimeDep


def _ctx(request: Request) -> Context:
    ctx: Context = request.app.state.workflow
    return ctx


def _now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


Ctx = Annotated[Context, Depends(_ctx)]
Now = Annotated[datetime, Depends(_now)]
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
