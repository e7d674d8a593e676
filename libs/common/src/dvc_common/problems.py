"""RFC 9457 problem details: every error a client sees says what went wrong and what to do."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://dichvucong.example.gov.vn/problems/"


class Problem(Exception):
    """Raise from a use-case or route; rendered as application/problem+json."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.headers = headers or {}
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extensions = extensions

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extensions)
        return body


def problem_response(problem: Problem, request: Request) -> JSONResponse:
    return JSONResponse(
        problem.body(request.url.path),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc, request)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
        for err in exc.errors()
    ]
    problem = Problem(
        422,
        "invalid-request",
        "Dữ liệu gửi lên không hợp lệ",
        "Yêu cầu thiếu thông tin hoặc thông tin sai định dạng; vui lòng kiểm tra các trường được liệt kê.",
        errors=errors,
    )
    return problem_response(problem, request)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "Không tìm thấy", 405: "Phương thức không được hỗ trợ", 401: "Chưa xác thực"}
    problem = Problem(
        exc.status_code,
        f"http-{exc.status_code}",
        titles.get(exc.status_code, "Yêu cầu không thực hiện được"),
        str(exc.detail),
    )
    return problem_response(problem, request)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
