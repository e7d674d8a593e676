"""Public pages: home with procedure search, a procedure, the look-up of a dossier by its code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from dvc_portal.deps import ClientAddress, MaybeVisitor, PagesDep, PortalDep
from dvc_portal.errors import Refused
from dvc_portal.service import catalog, lookup

router = APIRouter(tags=["công khai"])


@router.get("/", response_class=HTMLResponse, summary="Trang chủ: tìm thủ tục hành chính")
async def home(
    request: Request,
    portal: PortalDep,
    pages: PagesDep,
    visitor: MaybeVisitor,
    q: Annotated[str, Query(max_length=200)] = "",
    field: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    everything = await catalog.procedures(portal)
    found = await catalog.find(portal, q) if q.strip() else everything
    if field:
        found = [p for p in found if p.field_name == field]
    searched = bool(q.strip() or field)
    fields = sorted({p.field_name for p in everything if p.field_name})
    context = {"q": q, "field": field, "results": found if searched else [], "searched": searched}
    return pages.render(request, "home.html", {**context, "fields": fields, "total": len(everything)})


@router.get("/thu-tuc/{code}", response_class=HTMLResponse, summary="Thông tin một thủ tục")
async def procedure(
    code: str, request: Request, portal: PortalDep, pages: PagesDep, visitor: MaybeVisitor
) -> HTMLResponse:
    found = await catalog.procedure(portal, code)
    return pages.render(request, "procedure.html", {"page": found, "p": found.procedure})


@router.get("/tra-cuu", response_class=HTMLResponse, summary="Tra cứu hồ sơ theo mã")
async def look_up_form(
    request: Request,
    portal: PortalDep,
    pages: PagesDep,
    visitor: MaybeVisitor,
    client: ClientAddress,
    ma: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    return await _look_up(request, portal, pages, client, ma.strip())


@router.get("/tra-cuu/{code}", response_class=HTMLResponse, summary="Tình trạng hồ sơ (trang mã QR mở)")
async def look_up_page(
    code: str,
    request: Request,
    portal: PortalDep,
    pages: PagesDep,
    visitor: MaybeVisitor,
    client: ClientAddress,
) -> HTMLResponse:
    return await _look_up(request, portal, pages, client, code.strip())


async def _look_up(
    request: Request, portal: PortalDep, pages: PagesDep, client: str | None, code: str
) -> HTMLResponse:
    if not code:
        return pages.render(request, "lookup.html", {"code": "", "found": None, "refused": None})
    answer = await lookup.look_up(portal, code, client)
    refused = answer if isinstance(answer, Refused) else None
    found = None if refused else answer
    status = refused.status if refused and refused.status in (404, 422, 429) else 200
    return pages.render(
        request, "lookup.html", {"code": code, "found": found, "refused": refused}, status=status
    )
