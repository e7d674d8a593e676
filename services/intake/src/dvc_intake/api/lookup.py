"""Public look-up of a dossier by its code: JSON for programs, and the web page the QR code of every
slip opens (/tra-cuu/{code}); no personal data in either."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from dvc_common.problems import Problem
from dvc_intake import errors
from dvc_intake.deps import ClientAddress, Ctx
from dvc_intake.forms import LookupPage, LookupProblem, render_lookup_page, render_lookup_problem
from dvc_intake.schemas import LookupView
from dvc_intake.service.lookup import lookup

router = APIRouter(prefix="/api/v1/lookup", tags=["tra cứu"])
page_router = APIRouter(prefix="/tra-cuu", tags=["tra cứu"])


@router.get("/{code}", response_model=LookupView, summary="Tra cứu tình trạng hồ sơ (công khai)")
async def public_lookup(code: str, ctx: Ctx, client: ClientAddress) -> LookupView:
    wait = await ctx.lookup_limiter.allow(client)
    if wait is not None:
        raise errors.too_many_lookups(wait)
    async with ctx.runtime.transaction() as session:
        found = await lookup(session, code)
    d = found.dossier
    return LookupView(
        code=d.code,
        procedure_code=d.procedure_code,
        procedure_name=found.procedure_name,
        agency_id=d.agency_id,
        agency_name=found.agency_name,
        status=d.status,
        status_name=d.status_name,
        submitted_at=d.submitted_at,
        received_at=d.received_at,
        appointment_at=d.appointment_at,
    )


@page_router.get(
    "/{code}",
    response_class=HTMLResponse,
    summary="Trang tra cứu tình trạng hồ sơ (công khai, mã QR trên các phiếu mở trang này)",
    responses={404: {"content": {"text/html": {}}}, 422: {"content": {"text/html": {}}}, 429: {}},
)
async def public_lookup_page(code: str, ctx: Ctx, client: ClientAddress) -> HTMLResponse:
    try:
        wait = await ctx.lookup_limiter.allow(client)
        if wait is not None:
            raise errors.too_many_lookups(wait)
        async with ctx.runtime.transaction() as session:
            found = await lookup(session, code)
    except Problem as problem:
        html = render_lookup_problem(LookupProblem(problem.title, problem.detail))
        return HTMLResponse(html, status_code=problem.status, headers=problem.headers)
    d = found.dossier
    page = LookupPage(
        code=d.code,
        procedure_name=found.procedure_name,
        agency_name=found.agency_name,
        status=d.status,
        status_name=d.status_name,
        submitted_at=d.submitted_at,
        received_at=d.received_at,
        appointment_at=d.appointment_at,
        tz=ctx.limits.timezone,
    )
    return HTMLResponse(render_lookup_page(page))
