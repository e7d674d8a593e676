"""Shared route dependencies."""

from __future__ import annotations

from typing import Annotated

from dvc_common.runtime import ServiceRuntime
from fastapi import Depends, Request

from dvc_identity.service import Identity, Origin


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def identity_of(request: Request) -> Identity:
    identity: Identity = request.app.state.identity
    return identity


def origin_of(request: Request) -> Origin:
    return Origin(request.client.host if request.client else None, request.headers.get("user-agent"))


Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
Ctx = Annotated[Identity, Depends(identity_of)]
RequestOrigin = Annotated[Origin, Depends(origin_of)]
