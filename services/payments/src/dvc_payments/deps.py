"""Payments' dependency aliases: the service's use-cases and who may configure or reconcile."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dvc_common.http_auth import current_principal, require_roles
from dvc_common.principal import Principal, Role
from dvc_payments.service import Payments

ConfigOfficer = Annotated[Principal, Depends(require_roles(Role.AGENCY_ADMIN, Role.PROVINCIAL_OPERATOR))]
ConfigReader = Annotated[
    Principal,
    Depends(require_roles(Role.AGENCY_ADMIN, Role.AGENCY_LEADER, Role.PROVINCIAL_OPERATOR)),
]
CounterOfficer = Annotated[Principal, Depends(require_roles(Role.ONE_STOP_OFFICER))]
Accountant = Annotated[
    Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR, Role.AUDITOR, Role.AGENCY_LEADER))
]


async def maybe_principal(request: Request) -> Principal | None:
    """The caller when a token is sent (an invalid one is refused), None for an anonymous request."""
    return await current_principal(request) if request.headers.get("authorization") else None


MaybePrincipal = Annotated[Principal | None, Depends(maybe_principal)]


def payments_of(request: Request) -> Payments:
    payments: Payments = request.app.state.payments
    return payments


PaymentsDep = Annotated[Payments, Depends(payments_of)]
