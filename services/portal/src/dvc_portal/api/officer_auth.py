"""Officer sign-in (with the first-login password change), my account, sign-out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from dvc_portal import errors
from dvc_portal.deps import CheckedForm, ClientAddress, CurrentOfficer, MaybeVisitor, PagesDep, PortalDep
from dvc_portal.domain.formatting import datetime_vi
from dvc_portal.service import officer_auth, sessions
from dvc_portal.service.sessions import Visitor

router = APIRouter(tags=["cán bộ: đăng nhập"])
HOME = "/can-bo/ho-so"


def _safe_next(url: str | None) -> str:
    """Only a path of this portal (never another site) after signing in."""
    return url if url and url.startswith("/") and not url.startswith("//") else HOME


@router.get("/can-bo/dang-nhap", response_class=HTMLResponse, summary="Đăng nhập của cán bộ")
async def sign_in_page(
    request: Request,
    portal: PortalDep,
    pages: PagesDep,
    visitor: MaybeVisitor,
    tiep: Annotated[str | None, Query()] = None,
    thong_bao: Annotated[str | None, Query(alias="thong-bao")] = None,
) -> HTMLResponse:
    if visitor is None:
        visitor = await sessions.open_anonymous(portal)
    notice = {"da-dang-xuat": "Bạn đã đăng xuất.", "het-phien": errors.session_ended()}.get(thong_bao or "")
    return pages.render(
        request, "sign_in.html", {"next": _safe_next(tiep), "notice": notice, "username": ""}, visitor=visitor
    )


@router.post("/can-bo/dang-nhap", response_class=HTMLResponse, summary="Gửi tên đăng nhập và mật khẩu")
async def sign_in(
    request: Request,
    portal: PortalDep,
    pages: PagesDep,
    visitor: MaybeVisitor,
    form: CheckedForm,
    client: ClientAddress,
) -> Response:
    username, next_url = form.get("username", "").strip(), _safe_next(form.get("next"))
    outcome = await officer_auth.login(portal, visitor, username, form.get("password", ""), client)
    if isinstance(outcome, Visitor):
        return pages.redirect(next_url, outcome)
    if outcome.kind == "password-change-required":
        context = {"username": username, "next": next_url, "first_login": True, "problem": None}
        return pages.render(request, "change_password.html", context, visitor=visitor)
    context = {"username": username, "next": next_url, "problem": _login_problem(outcome), "notice": None}
    return pages.render(request, "sign_in.html", context, visitor=visitor, status=outcome.status)


def _login_problem(refused: errors.Refused) -> dict[str, str]:
    """Identity's words; a temporary lock also says until when, in Vietnam time."""
    detail = refused.detail
    until = refused.body.get("locked_until")
    if isinstance(until, str):
        detail += f" Tài khoản được mở lại lúc {datetime_vi(datetime.fromisoformat(until))}."
    return {"title": refused.title, "detail": detail}


@router.post("/can-bo/doi-mat-khau", response_class=HTMLResponse, summary="Đổi mật khẩu")
async def change_password(
    request: Request,
    portal: PortalDep,
    pages: PagesDep,
    visitor: MaybeVisitor,
    form: CheckedForm,
    client: ClientAddress,
) -> Response:
    username, next_url = form.get("username", "").strip(), _safe_next(form.get("next"))
    context = {"username": username, "next": next_url, "first_login": form.get("first_login") == "1"}
    new = form.get("new_password", "")
    if new != form.get("confirm_password", ""):
        problem = {"title": "Chưa đổi được mật khẩu", "detail": errors.passwords_differ(), "items": []}
        return pages.render(request, "change_password.html", {**context, "problem": problem}, status=422)
    outcome = await officer_auth.change_password(
        portal, visitor, username, form.get("current_password", ""), new, client
    )
    if isinstance(outcome, Visitor):
        await sessions.flash(portal, outcome.key, "success", "Đã đổi mật khẩu.")
        return pages.redirect(next_url, outcome)
    items = outcome.body.get("errors") if outcome.kind == "weak-password" else None
    problem = {"title": outcome.title, "detail": outcome.detail, "items": items or []}
    if items:
        problem["detail"] = ""
    return pages.render(
        request, "change_password.html", {**context, "problem": problem}, status=outcome.status
    )


@router.get("/can-bo/tai-khoan", response_class=HTMLResponse, summary="Tài khoản của tôi")
async def my_account(
    request: Request, portal: PortalDep, pages: PagesDep, officer: CurrentOfficer
) -> HTMLResponse:
    account = await officer_auth.my_account(portal, officer)
    return pages.render(request, "account.html", {"account": account})


@router.post("/dang-xuat", summary="Đăng xuất (kết thúc cả phiên đăng nhập ở dịch vụ tài khoản)")
async def sign_out(portal: PortalDep, pages: PagesDep, visitor: MaybeVisitor, form: CheckedForm) -> Response:
    officer = visitor is not None and visitor.is_officer
    if visitor is not None:
        await sessions.sign_out(portal, visitor.key)
    response = pages.redirect("/can-bo/dang-nhap?thong-bao=da-dang-xuat" if officer else "/?da-dang-xuat=1")
    pages.forget(response)
    return response
