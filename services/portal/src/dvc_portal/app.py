"""Builds the portal's FastAPI app: pages, static assets, the HTML error pages; nothing else."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from dvc_common.client_address import TrustedProxies
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_portal import errors
from dvc_portal.api import ROUTERS
from dvc_portal.rendering import STATIC, Pages
from dvc_portal.service.context import Portal
from dvc_portal.service.sessions import SignedOut
from dvc_portal.settings import PortalSettings


def build(settings: PortalSettings | None = None) -> FastAPI:
    settings = settings or PortalSettings()
    runtime = ServiceRuntime(settings)
    portal = Portal.of(settings, runtime.transaction, runtime.token_verifier)
    pages = Pages(settings)

    async def close_clients(_: ServiceRuntime) -> None:
        await portal.close()

    app = create_app(
        runtime,
        title="DVC — Cổng dịch vụ công (portal)",
        description=(
            "Trang web cho công dân, tổ chức (tìm thủ tục, tra cứu hồ sơ, đăng nhập VNeID, hồ sơ của tôi) và"
            " cho cán bộ, công chức (đăng nhập, hồ sơ cần xử lý, xử lý hồ sơ); gọi các dịch vụ bằng mã truy"
            " cập của người đang đăng nhập, giữ phiên làm việc ở máy chủ."
        ),
        routers=ROUTERS,
        on_shutdown=[close_clients],
    )
    app.state.portal = portal
    app.state.pages = pages
    app.state.proxies = TrustedProxies.parse(settings.trusted_proxies)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _html_errors(app, pages)
    return app


def _html_errors(app: FastAPI, pages: Pages) -> None:
    """People get pages, not problem+json: errors, sign-in redirects and the end of a session."""

    async def on_page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, errors.PageError)
        context = {"title": exc.title, "detail": exc.detail}
        return pages.render(request, "error.html", context, status=exc.status)

    async def on_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, errors.Refused)
        return await on_page_error(request, errors.from_refusal(exc))

    async def on_sign_in_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, errors.SignInRequired)
        if exc.audience == "citizen":
            return pages.redirect("/cong-dan/dang-nhap")
        return pages.redirect(f"/can-bo/dang-nhap?tiep={quote(exc.next_url)}")

    async def on_signed_out(request: Request, exc: Exception) -> Response:
        response = pages.redirect("/can-bo/dang-nhap?thong-bao=het-phien")
        pages.forget(response)
        return response

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return await on_page_error(request, errors.not_found())
        title = "Yêu cầu không thực hiện được"
        return await on_page_error(request, errors.PageError(exc.status_code, title, str(exc.detail)))

    async def on_invalid(request: Request, exc: Exception) -> Response:
        detail = "Địa chỉ hoặc dữ liệu gửi lên không hợp lệ; vui lòng quay lại và thử lại."
        return await on_page_error(request, errors.PageError(422, "Yêu cầu không hợp lệ", detail))

    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(errors.PageError, on_page_error)
    app.add_exception_handler(errors.Refused, on_refused)
    app.add_exception_handler(errors.SignInRequired, on_sign_in_required)
    app.add_exception_handler(SignedOut, on_signed_out)
    app.add_exception_handler(StarletteHTTPException, on_http)


app = build()
