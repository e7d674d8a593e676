"""Sync-national's dependency aliases: the one service context of its operator routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dvc_sync_national.service.context import SyncContext


def sync_of(request: Request) -> SyncContext:
    sync: SyncContext = request.app.state.sync
    return sync


SyncDep = Annotated[SyncContext, Depends(sync_of)]
