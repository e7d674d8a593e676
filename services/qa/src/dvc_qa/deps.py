"""Annotated dependency aliases of Q&A's routes: who may call them, and the service context."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dvc_common.http_auth import require_roles
from dvc_common.principal import Principal, Role
from dvc_qa.service.context import QaContext

Officer = Annotated[Principal, Depends(require_roles(*Role))]
Operator = Annotated[Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR))]


def context_of(request: Request) -> QaContext:
    ctx: QaContext = request.app.state.qa
    return ctx


ContextDep = Annotated[QaContext, Depends(context_of)]
