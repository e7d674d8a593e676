"""Citizens and organisations: VNeID sign-in (authorization code + PKCE, run by identity; the
portal keeps the login's state in the browser's session and turns identity's tokens into a portal
session) and their dossiers."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

from dvc_portal import errors
from dvc_portal.schemas import (
    CitizenDossier,
    IntakeDossier,
    Lifecycle,
    MyDossier,
    Receipt,
    Slip,
    Timeline,
    TokenPair,
)
from dvc_portal.service import catalog, sessions
from dvc_portal.service.context import Portal
from dvc_portal.service.sessions import Visitor

STATE = "vneid_state"


async def start_login(portal: Portal, visitor: Visitor) -> str:
    """VNeID's sign-in address (from identity, which keeps the PKCE verifier); its state is bound
    to this browser's session, so a callback started elsewhere is refused."""
    response = await portal.identity.request("GET", "/api/v1/citizen/login")
    location = str(response.headers.get("location", ""))
    state = parse_qs(urlsplit(location).query).get("state", [""])[0]
    if response.status_code != 302 or not state:
        raise errors.unavailable("VNeID")
    await sessions.remember(portal, visitor.key, STATE, state)
    return location


async def finish_login(
    portal: Portal, visitor: Visitor | None, code: str | None, state: str | None, error: str | None
) -> Visitor | errors.Refused:
    expected = await sessions.take(portal, visitor.key, STATE) if visitor else None
    if not state or expected != state:
        return errors.Refused(
            400,
            "Đăng nhập VNeID không hợp lệ",
            "Phiên đăng nhập không khớp với trình duyệt này hoặc đã được sử dụng. Vui lòng đăng nhập lại.",
        )
    params = {"code": code, "state": state, "error": error}
    try:
        body = await portal.identity.json("GET", "/api/v1/citizen/callback", params=params)
    except errors.Refused as refused:
        return refused
    return await sessions.sign_in(portal, visitor, TokenPair.model_validate(body))


async def my_dossiers(portal: Portal, visitor: Visitor) -> list[MyDossier]:
    async def mine(token: str) -> list[Lifecycle]:
        rows = await portal.workflow.json("GET", "/api/v1/my/dossiers", token=token)
        return [Lifecycle.model_validate(r) for r in rows]

    names = await catalog.names(portal)
    return [
        MyDossier(lifecycle=d, procedure_name=names.get(d.procedure_code))
        for d in await sessions.call(portal, visitor.key, mine)
    ]


async def my_dossier(portal: Portal, visitor: Visitor, code: str) -> CitizenDossier:
    """One of my dossiers: its timeline and deadline (workflow), documents, slips and receipts
    (intake); each service decides that this person may read it (a stranger's code is 404)."""

    async def read(token: str) -> CitizenDossier:
        timeline, intake, slips, receipts = await asyncio.gather(
            portal.workflow.json("GET", f"/api/v1/dossiers/{code}/timeline", token=token),
            portal.intake.json("GET", f"/api/v1/dossiers/{code}", token=token),
            portal.intake.json("GET", f"/api/v1/dossiers/{code}/slips", token=token),
            portal.intake.json("GET", f"/api/v1/dossiers/{code}/receipts", token=token),
        )
        found = IntakeDossier.model_validate(intake)
        names = await catalog.names(portal) if found.procedure_name is None else {}
        return CitizenDossier(
            timeline=Timeline.model_validate(timeline),
            intake=found,
            slips=[Slip.model_validate(s) for s in slips],
            receipts=[Receipt.model_validate(r) for r in receipts],
            procedure_name=found.procedure_name or names.get(found.procedure_code),
        )

    return await sessions.call(portal, visitor.key, read)
