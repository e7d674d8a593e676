"""The public look-up of a dossier by its code (intake's: no personal data)."""

from __future__ import annotations

from dvc_portal import errors
from dvc_portal.schemas import Lookup
from dvc_portal.service.context import Portal


async def look_up(portal: Portal, code: str, client: str | None) -> Lookup | errors.Refused:
    try:
        body = await portal.intake.json("GET", f"/api/v1/lookup/{code}", client=client)
    except errors.Refused as refused:
        return refused
    return Lookup.model_validate(body)
