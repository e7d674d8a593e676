"""An agency administrator's and the provincial operator's pages: officers' accounts (identity) and
internal-process versions (workflow). Thin calls with the signed-in person's token; identity and
workflow decide what is allowed and say why not."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from dvc_portal import errors
from dvc_portal.schemas import Department, Officer, ProcessVersion
from dvc_portal.service import sessions
from dvc_portal.service.context import Portal
from dvc_portal.service.sessions import Visitor


async def officers(portal: Portal, visitor: Visitor) -> tuple[list[Officer], list[Department]]:
    """The officers of my agency and the agency's departments (to choose from when creating one)."""

    async def read(token: str) -> tuple[list[Officer], list[Department]]:
        listed, departments = await asyncio.gather(
            portal.identity.json(
                "GET", "/api/v1/officers", token=token, params={"agency_id": visitor.agency_id, "limit": 200}
            ),
            portal.identity.json("GET", f"/api/v1/agencies/{visitor.agency_id}/departments", token=token),
        )
        return [Officer.model_validate(o) for o in listed], [
            Department.model_validate(d) for d in departments
        ]

    return await sessions.call(portal, visitor.key, read)


async def create_officer(portal: Portal, visitor: Visitor, body: dict[str, Any]) -> dict[str, Any]:
    """Identity's answer (the account and where its temporary password was sent); a refusal raises."""

    async def post(token: str) -> dict[str, Any]:
        answer: dict[str, Any] = await portal.identity.json(
            "POST", "/api/v1/officers", token=token, json_body={**body, "agency_id": visitor.agency_id}
        )
        return answer

    return await sessions.call(portal, visitor.key, post)


async def lock(portal: Portal, visitor: Visitor, officer_id: str, reason: str | None) -> Officer | None:
    """Locked (or unlocked when `reason` is None); None when identity waits for a second approver."""

    async def post(token: str) -> Officer | None:
        if reason is None:
            path, body = f"/api/v1/officers/{officer_id}/unlock", None
        else:
            path, body = f"/api/v1/officers/{officer_id}/lock", {"reason": reason}
        response = await portal.identity.request("POST", path, token=token, json_body=body)
        return Officer.model_validate(response.json()) if response.status_code == 200 else None

    return await sessions.call(portal, visitor.key, post)


async def processes(portal: Portal, visitor: Visitor, procedure: str, agency: str) -> list[ProcessVersion]:
    async def read(token: str) -> list[ProcessVersion]:
        rows = await portal.workflow.json(
            "GET", f"/api/v1/procedures/{procedure}/processes/{agency}", token=token
        )
        return [ProcessVersion.model_validate(r) for r in rows]

    return await sessions.call(portal, visitor.key, read)


def parse_definition(text: str) -> dict[str, Any] | errors.Refused:
    """The steps typed in the editor (JSON), or why they cannot be read; workflow checks the rest."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return errors.Refused(
            422,
            "Nội dung quy trình không đọc được",
            f'Dòng {exc.lineno}, cột {exc.colno}: nội dung phải là JSON hợp lệ ({{"steps": [...]}}).',
        )
    if not isinstance(value, dict):
        return errors.Refused(422, "Nội dung quy trình không đọc được", 'Cần một đối tượng {"steps": [...]}.')
    return value


async def create_draft(
    portal: Portal, visitor: Visitor, procedure: str, agency: str, definition: dict[str, Any]
) -> ProcessVersion:
    async def post(token: str) -> ProcessVersion:
        answer = await portal.workflow.json(
            "POST", f"/api/v1/procedures/{procedure}/processes/{agency}", token=token, json_body=definition
        )
        return ProcessVersion.model_validate(answer)

    return await sessions.call(portal, visitor.key, post)


async def publish(portal: Portal, visitor: Visitor, process_id: int) -> ProcessVersion:
    async def post(token: str) -> ProcessVersion:
        answer = await portal.workflow.json("POST", f"/api/v1/processes/{process_id}/publish", token=token)
        return ProcessVersion.model_validate(answer)

    return await sessions.call(portal, visitor.key, post)


def reasons_of(refused: errors.Refused) -> list[str]:
    """The itemised reasons a service gave (workflow's `reasons`, identity's field errors), if any."""
    body = refused.body if isinstance(refused.body, dict) else {}
    reasons = body.get("reasons")
    if isinstance(reasons, list):
        return [str(r) for r in reasons]
    fields = body.get("errors")
    if isinstance(fields, list):
        return [
            str(e.get("message") or e.get("detail") or e) if isinstance(e, dict) else str(e) for e in fields
        ]
    return []
