"""Sync-national's dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dvc_sync_national.portal import PortalClient


def portal_of(request: Request) -> PortalClient:
    portal: PortalClient = request.app.state.portal
    return portal


PortalDep = Annotated[PortalClient, Depends(portal_of)]
