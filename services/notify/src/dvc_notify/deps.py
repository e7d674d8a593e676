"""Annotated dependency aliases of notify's routes: who may call them, and the service context."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dvc_common.http_auth import require_roles
from dvc_common.principal import Principal, Role
from dvc_notify.service.notifier import Notifier

Officer = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.ONE_STOP_OFFICER,
            Role.PROVINCIAL_OPERATOR,
            Role.AGENCY_LEADER,
            Role.DEPARTMENT_HEAD,
            Role.AUDITOR,
        )
    ),
]
Operator = Annotated[Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR))]


def notifier_of(request: Request) -> Notifier:
    notifier: Notifier = request.app.state.notifier
    return notifier


NotifierDep = Annotated[Notifier, Depends(notifier_of)]
