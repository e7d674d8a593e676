"""Officers sign in with their username and password through identity (which decides about locks,
throttling and the first-login password change); their account."""

from __future__ import annotations

from dataclasses import dataclass

from dvc_portal import errors
from dvc_portal.schemas import Agency, Officer, TokenPair
from dvc_portal.service import sessions
from dvc_portal.service.context import Portal
from dvc_portal.service.sessions import Visitor


async def login(
    portal: Portal, visitor: Visitor | None, username: str, password: str, client: str | None
) -> Visitor | errors.Refused:
    try:
        body = await portal.identity.json(
            "POST",
            "/api/v1/auth/login",
            json_body={"username": username, "password": password},
            client=client,
        )
    except errors.Refused as refused:
        return refused
    return await sessions.sign_in(portal, visitor, TokenPair.model_validate(body))


async def change_password(
    portal: Portal,
    visitor: Visitor | None,
    username: str,
    current: str,
    new: str,
    client: str | None,
) -> Visitor | errors.Refused:
    try:
        body = await portal.identity.json(
            "POST",
            "/api/v1/auth/password",
            json_body={"username": username, "current_password": current, "new_password": new},
            client=client,
        )
    except errors.Refused as refused:
        return refused
    return await sessions.sign_in(portal, visitor, TokenPair.model_validate(body))


@dataclass(frozen=True)
class Account:
    officer: Officer
    agency: Agency | None


async def my_account(portal: Portal, visitor: Visitor) -> Account:
    async def me(token: str) -> Officer:
        return Officer.model_validate(await portal.identity.json("GET", "/api/v1/officers/me", token=token))

    officer = await sessions.call(portal, visitor.key, me)
    return Account(officer, await agency(portal, officer.agency_id))


async def agency(portal: Portal, agency_id: str) -> Agency | None:
    try:
        return Agency.model_validate(await portal.identity.json("GET", f"/api/v1/agencies/{agency_id}"))
    except errors.Refused:
        return None


async def agencies(portal: Portal) -> list[Agency]:
    return [Agency.model_validate(a) for a in await portal.identity.json("GET", "/api/v1/agencies")]
