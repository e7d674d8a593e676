"""Citizens and organisations: VNeID sign-in and my dossiers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dvc_portal.api.downloads import pass_through
from dvc_portal.deps import CurrentCitizen, MaybeVisitor, PagesDep, PortalDep
from dvc_portal.service import citizen, sessions
from dvc_portal.service.sessions import Visitor

router = APIRouter(prefix="/cong-dan", tags=["công dân"])


@router.get("/dang-nhap", summary="Đăng nhập bằng VNeID (chuyển sang trang VNeID)")
async def sign_in(portal: PortalDep, pages: PagesDep, visitor: MaybeVisitor) -> Response:
    if visitor is None:
        visitor = await sessions.open_anonymous(portal)
    response = RedirectResponse(await citizen.start_login(portal, visitor), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    pages.keep(response, visitor)
    return response


@router.get("/vneid/ket-qua", response_class=HTMLResponse, summary="VNeID trả về sau khi đăng nhập")
async def vneid_return(
    request: Request,
    portal: PortalDep,
    pages: PagesDep,
    visitor: MaybeVisitor,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
) -> Response:
    outcome = await citizen.finish_login(portal, visitor, code, state, error)
    if isinstance(outcome, Visitor):
        return pages.redirect("/cong-dan/ho-so", outcome)
    problem = {"title": outcome.title, "detail": outcome.detail}
    return pages.render(request, "citizen_sign_in_failed.html", {"problem": problem}, status=outcome.status)


@router.get("/ho-so", response_class=HTMLResponse, summary="Hồ sơ của tôi")
async def my_dossiers(
    request: Request, portal: PortalDep, pages: PagesDep, person: CurrentCitizen
) -> HTMLResponse:
    return pages.render(request, "my_dossiers.html", {"dossiers": await citizen.my_dossiers(portal, person)})


@router.get("/ho-so/{code}", response_class=HTMLResponse, summary="Hồ sơ của tôi: quá trình, việc cần làm")
async def my_dossier(
    code: str, request: Request, portal: PortalDep, pages: PagesDep, person: CurrentCitizen
) -> HTMLResponse:
    found = await citizen.my_dossier(portal, person, code)
    return pages.render(request, "my_dossier.html", {"d": found})


@router.get("/ho-so/{code}/phieu/{slip_id}", summary="Tải phiếu, biên lai (PDF)")
async def my_slip(code: str, slip_id: int, portal: PortalDep, person: CurrentCitizen) -> Response:
    return await pass_through(portal, person, f"/api/v1/dossiers/{code}/slips/{slip_id}")


@router.get("/ho-so/{code}/tep/{position}", summary="Tải tài liệu, kết quả của hồ sơ")
async def my_file(code: str, position: int, portal: PortalDep, person: CurrentCitizen) -> Response:
    return await pass_through(portal, person, f"/api/v1/dossiers/{code}/files/{position}")
