"""Intake's route dependencies: the one service context, and who is calling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from dvc_common.blob import BlobStore
from dvc_common.client_address import request_client_address
from dvc_common.http_auth import CurrentPrincipal, current_principal
from dvc_common.principal import Principal
from dvc_common.ratelimit import ClientLimiter
from dvc_common.runtime import ServiceRuntime
from dvc_intake.owners import OwnerResolver
from dvc_intake.scanning import Scanner
from dvc_intake.service.uploads import Limits

__all__ = ["ClientAddress", "Ctx", "CurrentPrincipal", "IntakeContext", "MaybePrincipal", "maybe_principal"]


@dataclass(frozen=True)
class IntakeContext:
    """What intake's routes work with: transactions and the outbox (runtime), the blob store, the
    upload limits, the antivirus scanner, the public look-up's rate limit and identity's owner look-up."""

    runtime: ServiceRuntime
    blobs: BlobStore
    limits: Limits
    scanner: Scanner
    lookup_limiter: ClientLimiter
    owners: OwnerResolver


def intake_context(request: Request) -> IntakeContext:
    # Read per request: app.state is where build() (and tests) put them.
    state = request.app.state
    return IntakeContext(
        state.runtime, state.blobs, state.limits, state.scanner, state.lookup_limiter, state.owners
    )


async def maybe_principal(request: Request) -> Principal | None:
    """The caller when a token is sent (an invalid one is refused), None for an anonymous request."""
    return await current_principal(request) if request.headers.get("authorization") else None


def client_ip(request: Request) -> str:
    """The caller's address; `X-Forwarded-For` is believed only from the configured trusted proxies."""
    return request_client_address(request, request.app.state.proxies) or "unknown"


Ctx = Annotated[IntakeContext, Depends(intake_context)]
ClientAddress = Annotated[str, Depends(client_ip)]
MaybePrincipal = Annotated[Principal | None, Depends(maybe_principal)]
