"""Annotated dependency aliases of identity's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dvc_common.client_address import request_client_address
from dvc_common.http_auth import CurrentPrincipal, require_roles
from dvc_common.principal import Principal, Role
from dvc_common.runtime import RuntimeDep
from dvc_identity import errors
from dvc_identity.service.context import Identity, Origin


def identity_of(request: Request) -> Identity:
    identity: Identity = request.app.state.identity
    return identity


def origin_of(request: Request) -> Origin:
    """Who is calling: the client's address (through trusted proxies only) and its user agent."""
    address = request_client_address(request, request.app.state.proxies)
    return Origin(address, request.headers.get("user-agent"))


def citizen_principal(principal: CurrentPrincipal) -> Principal:
    """A citizen or organisation signed in with VNeID; officers are refused."""
    if principal.kind == "officer":
        raise errors.citizens_only()
    return principal


Runtime = RuntimeDep
Ctx = Annotated[Identity, Depends(identity_of)]
RequestOrigin = Annotated[Origin, Depends(origin_of)]

Admin = Annotated[Principal, Depends(require_roles(Role.AGENCY_ADMIN, Role.PROVINCIAL_OPERATOR))]
Reader = Annotated[
    Principal, Depends(require_roles(Role.AGENCY_ADMIN, Role.PROVINCIAL_OPERATOR, Role.AUDITOR))
]
Operator = Annotated[Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR))]
Auditor = Annotated[Principal, Depends(require_roles(Role.AUDITOR, Role.PROVINCIAL_OPERATOR))]
CurrentCitizen = Annotated[Principal, Depends(citizen_principal)]
OneStopOfficer = Annotated[Principal, Depends(require_roles(Role.ONE_STOP_OFFICER))]
AnyOfficer = Annotated[Principal, Depends(require_roles(*Role))]
