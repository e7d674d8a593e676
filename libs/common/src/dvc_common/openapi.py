"""Every operation's OpenAPI documents the problem+json answers it can give, added once here.

What an operation can answer follows from what it is: an operation that reads the bearer token
(directly or through a role check) can answer 401 and 403; one with parameters or a body 400 (the
edge guard, `dvc_common.edge`), 404 and 422 (validation, with `errors`); one with a body 413 and
415; a mutating one 409; one that knows the client's address (the rate-limited ones) 429. A route's
own `responses=` stays, only its missing content is filled in. FastAPI's 422 (`HTTPValidationError`
as application/json) is replaced by what the services really send.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from dvc_common.http_auth import current_principal
from dvc_common.problems import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `detail` says in Vietnamese what to do.",
    "type": "object",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail"],
    "additionalProperties": True,
}
FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": "FieldError",
    "type": "object",
    "properties": {
        "field": {"type": "string", "description": "Where: body.applicant_name, query.after, …"},
        "location": {"type": "string"},
        "message": {"type": "string", "description": "In Vietnamese"},
        "code": {"type": "string"},
    },
    "required": ["field", "message"],
}
VALIDATION_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ValidationProblem",
    "allOf": [
        {"$ref": "#/components/schemas/Problem"},
        {
            "type": "object",
            "properties": {"errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}}},
        },
    ],
}

DESCRIPTIONS = {
    400: "Dữ liệu gửi lên không hợp lệ (ký tự NUL, không phải UTF-8, JSON sai)",
    401: "Chưa xác thực hoặc mã truy cập không hợp lệ",
    403: "Không có quyền",
    404: "Không tìm thấy",
    409: "Xung đột với trạng thái hiện tại",
    413: "Nội dung gửi lên quá lớn",
    415: "Định dạng nội dung không được hỗ trợ",
    422: "Dữ liệu không hợp lệ",
    423: "Tài khoản bị khoá",
    429: "Quá nhiều yêu cầu; thử lại sau Retry-After giây",
    500: "Lỗi hệ thống",
    503: "Chưa sẵn sàng",
}
AUTH_DEPENDENCIES = ("principal", "reader", "integrator", "apikey", "citizen_of", "officer_of")
# Dependencies of web pages with a session (the portal): they answer redirects.
PAGE_DEPENDENCIES = ("visitor", "pages_of", "citizen_of", "officer_of")
MUTATING = {"post", "put", "patch", "delete"}
# Dependencies that read the caller's address: the rate-limited operations (look-ups, sign-in).
ADDRESS_DEPENDENCIES = ("client", "origin", "quota", "lookups")


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    stack = [dependant]
    while stack:
        current = stack.pop()
        if current.call is not None:
            yield current.call
        stack.extend(current.dependencies)


def statuses_of(dependant: Dependant, method: str) -> set[int]:
    """The problem statuses an operation with `dependant` can answer, besides its own."""
    calls = list(_calls(dependant))
    names = [
        f"{getattr(call, '__module__', '')}.{getattr(call, '__qualname__', type(call).__name__)}".lower()
        for call in calls
    ]
    answers: set[int] = set()
    has_input = bool(
        dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or any(d.path_params or d.query_params or d.body_params for d in dependant.dependencies)
    )
    if current_principal in calls or any(word in name for name in names for word in AUTH_DEPENDENCIES):
        answers |= {401, 403}
    if has_input:
        answers |= {400, 404, 422}
    if dependant.path_params:
        answers.add(404)
    if any(d.body_params for d in [dependant, *dependant.dependencies]) or dependant.body_params:
        answers |= {413, 415}
    if method in MUTATING:
        answers |= {400, 409, 413, 415, 422}
    if any(word in name for name in names for word in ADDRESS_DEPENDENCIES):
        answers.add(429)
    if any(word in name for name in names for word in PAGE_DEPENDENCIES):
        answers.add(303)  # a page of a web session: redirects (to sign in, after a form)
        if method in MUTATING:
            answers.add(403)  # its forms carry a token the page checks
    return answers


def _problem_content(status: int, html: bool = False) -> dict[str, Any]:
    if html:  # a page: its errors are pages too
        return {"text/html": {"schema": {"type": "string"}}}
    schema = "ValidationProblem" if status == 422 else "Problem"
    return {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def document_problems(schema: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """Adds the problem answers to every operation of `schema` (the app's generated OpenAPI)."""
    by_operation: dict[tuple[str, str], Dependant] = {}
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        path = getattr(context, "path_format", None) or getattr(context, "path", None)
        if dependant is None or path is None:
            continue
        for method in getattr(context, "methods", None) or ():
            by_operation[(path, method.lower())] = dependant
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    components["FieldError"] = FIELD_ERROR_SCHEMA
    components["ValidationProblem"] = VALIDATION_PROBLEM_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            dependant = by_operation.get((path, method))
            if dependant is None:
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            ok: dict[str, Any] = next((v for k, v in responses.items() if k.startswith("2")), {})
            html = set(ok.get("content") or {}) == {"text/html"}
            wanted = statuses_of(dependant, method) | {
                int(s) for s in responses if s.isdigit() and int(s) >= 400
            }
            if html:  # pages redirect (to sign in, after a form: 303) and check their forms' token (403)
                responses.setdefault("303", {"description": "Chuyển tới trang khác (đăng nhập, kết quả)"})
                if method in MUTATING:
                    wanted.add(403)
            for status in sorted(wanted):
                entry = responses.setdefault(str(status), {})
                if status < 400:
                    entry.setdefault("description", "Chuyển tới trang khác (đăng nhập, kết quả)")
                    continue
                entry.setdefault("description", DESCRIPTIONS.get(status, "Lỗi"))
                content = entry.get("content") or {}
                untyped = not content or content == {"application/json": {}}
                if untyped or "HTTPValidationError" in json.dumps(content):  # FastAPI's own 422
                    entry["content"] = _problem_content(status, html)
                if status == 429:
                    entry.setdefault("headers", {})["Retry-After"] = {"schema": {"type": "integer"}}
    if "#/components/schemas/HTTPValidationError" not in json.dumps(schema.get("paths", {})):
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
    return schema


def install_openapi(app: FastAPI) -> None:
    """`app.openapi()` documents the problem answers (computed once, like FastAPI's own)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate(), app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
