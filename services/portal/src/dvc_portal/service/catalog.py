"""The procedure catalog as workflow publishes it, searched by the portal (with or without
diacritics), and what intake tells applicants about one procedure."""

from __future__ import annotations

import time
from dataclasses import dataclass

from dvc_portal import errors
from dvc_portal.domain import search
from dvc_portal.schemas import ApplicantProcedure, Procedure
from dvc_portal.service.context import Portal

CATALOG_SECONDS = 60.0  # the catalog changes by an operator's import; a minute's delay is harmless


@dataclass
class CatalogCache:
    procedures: list[Procedure]
    fetched: float


_cache: dict[str, CatalogCache] = {}


async def procedures(portal: Portal) -> list[Procedure]:
    cached = _cache.get(portal.settings.workflow_url)
    if cached is not None and time.monotonic() - cached.fetched < CATALOG_SECONDS:
        return cached.procedures
    rows = await portal.workflow.json("GET", "/api/v1/procedures")
    found = sorted(
        (Procedure.model_validate(r["definition"]) for r in rows), key=lambda p: search.fold(p.name)
    )
    _cache[portal.settings.workflow_url] = CatalogCache(found, time.monotonic())
    return found


async def find(portal: Portal, query: str) -> list[Procedure]:
    return search.search(await procedures(portal), query, lambda p: f"{p.name} {p.code}")


async def names(portal: Portal) -> dict[str, str]:
    return {p.code: p.name for p in await procedures(portal)}


@dataclass(frozen=True)
class ProcedurePage:
    procedure: Procedure
    applicant: ApplicantProcedure | None  # intake's view (signature notice); None while it has no copy


async def procedure(portal: Portal, code: str) -> ProcedurePage:
    found = next((p for p in await procedures(portal) if p.code == code), None)
    if found is None:
        raise errors.procedure_not_found(code)
    try:
        applicant = ApplicantProcedure.model_validate(
            await portal.intake.json("GET", f"/api/v1/procedures/{code}")
        )
    except errors.Refused:
        applicant = None
    return ProcedurePage(found, applicant)
