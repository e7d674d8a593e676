"""Names for the codes events carry (procedure, agency), from notify's local copies of the catalog
and of identity's agency tree; letters name a procedure by its name, never by its code alone."""

from __future__ import annotations

from typing import Any

from dvc_notify.repository import NotifyRepository


async def names_for(repo: NotifyRepository, payload: Any, code: str) -> dict[str, str]:
    """procedure_name and agency_name of the event's procedure and agency (or the dossier's)."""
    procedure_code = getattr(payload, "procedure_code", None)
    agency_id = getattr(payload, "agency_id", None)
    if not procedure_code:
        dossier = await repo.dossier(code)
        procedure_code = dossier.procedure_code if dossier else None
    procedure = await repo.procedure(procedure_code) if procedure_code else None
    agency = await repo.agency(agency_id) if agency_id else None
    names = {
        "procedure_name": procedure.name if procedure else "",
        "agency_name": agency.name if agency else "",
    }
    given = getattr(payload, "agency_name", None)
    if given:  # the event names its agency itself (question.answered.v1)
        names["agency_name"] = str(given)
    return names
