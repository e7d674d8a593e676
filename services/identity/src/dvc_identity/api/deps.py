"""Shared route dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dvc_common.runtime import RuntimeDep
from dvc_identity.service import Identity, Origin


def identity_of(request: Request) -> Identity:
    identity: Identity = request.app.state.identity
    return identity


def origin_of(request: Request) -> Origin:
    return Origin(request.client.host if request.client else None, request.headers.get("user-agent"))


Runtime = RuntimeDep
Ctx = Annotated[Identity, Depends(identity_of)]
RequestOrigin = Annotated[Origin, Depends(origin_of)]
