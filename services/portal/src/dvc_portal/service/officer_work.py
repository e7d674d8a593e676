"""An officer's work: the work queues, a dossier as workflow and intake answer it, the actions
workflow allows, and the dossier's documents and slips passed through from intake."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

from dvc_portal import errors
from dvc_portal.schemas import (
    IntakeDossier,
    Lifecycle,
    Officer,
    OfficerDossier,
    Slip,
    Timeline,
    WorkQueuePage,
)
from dvc_portal.service import catalog, sessions
from dvc_portal.service.context import Portal
from dvc_portal.service.sessions import Visitor


@dataclass(frozen=True)
class QueueFilter:
    scope: str = "mine"
    department: str | None = None
    status: int | None = None
    procedure_code: str | None = None
    cursor: str | None = None


async def work_queue(portal: Portal, visitor: Visitor, wanted: QueueFilter) -> WorkQueuePage:
    params = {
        "scope": wanted.scope,
        "department": wanted.department,
        "status": wanted.status,
        "procedure_code": wanted.procedure_code,
        "cursor": wanted.cursor,
        "limit": 50,
    }

    async def page(token: str) -> WorkQueuePage:
        body = await portal.workflow.json("GET", "/api/v1/work-queue", token=token, params=params)
        return WorkQueuePage.model_validate(body)

    return await sessions.call(portal, visitor.key, page)


async def dossier(portal: Portal, visitor: Visitor, code: str) -> OfficerDossier:
    async def read(token: str) -> OfficerDossier:
        lifecycle, timeline, intake, slips = await asyncio.gather(
            portal.workflow.json("GET", f"/api/v1/dossiers/{code}", token=token),
            portal.workflow.json("GET", f"/api/v1/dossiers/{code}/timeline", token=token),
            portal.intake.json("GET", f"/api/v1/dossiers/{code}", token=token),
            portal.intake.json("GET", f"/api/v1/dossiers/{code}/slips", token=token),
        )
        found = Lifecycle.model_validate(lifecycle)
        procedures = {p.code: p for p in await catalog.procedures(portal)}
        return OfficerDossier(
            lifecycle=found,
            timeline=Timeline.model_validate(timeline),
            intake=IntakeDossier.model_validate(intake),
            slips=[Slip.model_validate(s) for s in slips],
            procedure=procedures.get(found.procedure_code),
        )

    return await sessions.call(portal, visitor.key, read)


async def act(
    portal: Portal, visitor: Visitor, code: str, action: str, body: dict[str, Any]
) -> Lifecycle | errors.Refused:
    """Ask workflow to perform the action; its refusal (409: someone acted first) is returned."""

    async def post(token: str) -> Lifecycle:
        answer = await portal.workflow.json(
            "POST", f"/api/v1/dossiers/{code}/actions/{action}", token=token, json_body=body
        )
        return Lifecycle.model_validate(answer)

    try:
        return await sessions.call(portal, visitor.key, post)
    except errors.Refused as refused:
        return refused


async def colleagues(portal: Portal, visitor: Visitor) -> list[Officer] | None:
    """Officers of my agency to assign to, when identity lets this officer list them (else None)."""

    async def listed(token: str) -> list[Officer]:
        body = await portal.identity.json(
            "GET", "/api/v1/officers", token=token, params={"agency_id": visitor.agency_id, "limit": 200}
        )
        return [Officer.model_validate(o) for o in body]

    try:
        return await sessions.call(portal, visitor.key, listed)
    except errors.Refused:
        return None


async def download(portal: Portal, visitor: Visitor, path: str) -> httpx.Response:
    """A document or slip of a dossier, streamed from intake (which checks the officer may read it);
    the caller closes the response."""
    token = await sessions.access_token(portal, visitor.key)
    return await portal.intake.open_stream(path, token=token)
