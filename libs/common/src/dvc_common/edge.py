"""The HTTP edge every service shares: bad input refused before any route runs, security headers.

`InputGuard` (pure ASGI) refuses, with a Vietnamese problem+json and before the application sees
them, what PostgreSQL or the JSON layer cannot take: a NUL byte or invalid UTF-8 in the path or the
query, a JSON body that is not UTF-8, not JSON, nested deeper than `MAX_JSON_DEPTH`, or holds
`NaN`/`Infinity`, a number beyond a double (`1e309`), or a string with a NUL or a lone surrogate; a
form body likewise. What slips through (a NUL inside a multipart field, an integer beyond the
database column) is answered by the problem handlers (`dvc_common.problems`), never by a 500.

`SecurityHeaders` adds to every response the headers a JSON API and its few HTML pages need.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dvc_common.client_address import TrustedProxies, client_address
from dvc_common.problems import PROBLEM_JSON, Problem

MAX_JSON_DEPTH = 64
MAX_JSON_BYTES = 2 * 1024 * 1024  # JSON bodies are forms and commands; files come as multipart

# JSON APIs: nothing may be loaded or framed. HTML pages (intake's look-up page, the portal): their
# own scripts and styles only (the look-up page has an inline <style>, htmx injects one). The API
# documentation pages load Swagger UI / ReDoc from their CDN.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
    " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net;"
    " style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com;"
    " font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com"
    " https://cdn.redoc.ly; worker-src blob:; object-src 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
HSTS = "max-age=31536000; includeSubDomains"


class BadInput(ValueError):
    """What the guard refuses: 400 with a Vietnamese detail."""


def _invalid(detail: str) -> Problem:
    return Problem(400, "bad-input", "Dữ liệu gửi lên không hợp lệ", detail)


def _check_text(value: str, where: str) -> None:
    if "\x00" in value:
        raise BadInput(f"{where} chứa ký tự NUL (\\0), không được chấp nhận; vui lòng bỏ ký tự đó.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"{where} chứa ký tự Unicode không hợp lệ (surrogate lẻ).") from None


def check_json_value(value: Any, where: str = "Dữ liệu JSON") -> None:
    """Every string (keys too) of a parsed JSON value is text PostgreSQL can store; iterative."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check_text(item, where)
        elif isinstance(item, dict):
            for key, inner in item.items():
                _check_text(key, where)
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)


def _depth_ok(raw: str) -> bool:
    """Nesting of `[`/`{` outside strings stays within MAX_JSON_DEPTH (before parsing recurses)."""
    depth = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return False
        elif char in "]}":
            depth -= 1
    return True


def _no_constant(name: str) -> Any:
    raise BadInput(f"JSON không chấp nhận giá trị {name}; hãy gửi một số hữu hạn.")


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise BadInput(f"Số {text[:40]} vượt quá giới hạn cho phép.")
    return number


def parse_json(body: bytes, where: str = "Nội dung JSON") -> Any:
    """A JSON document a service can take, or BadInput naming what is wrong, in Vietnamese."""
    try:
        raw = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{where} không phải văn bản UTF-8.") from None
    if not _depth_ok(raw):
        raise BadInput(f"{where} lồng nhau quá {MAX_JSON_DEPTH} cấp.")
    try:
        value = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{where} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}).") from None
    except RecursionError:
        raise BadInput(f"{where} lồng nhau quá sâu.") from None
    check_json_value(value, where)
    return value


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


CONTROL_BYTES = frozenset(range(0x20)) | {0x7F}


def _check_url_encoded(raw: bytes, where: str, *, controls: bool = False) -> None:
    """Percent-decoded, the parts are UTF-8 without NUL; with `controls`, without any control
    character either (a URL's path and query never carry one; a form's text may have line breaks)."""
    for part in raw.replace(b"+", b" ").split(b"&"):
        decoded = unquote_to_bytes(part)
        if b"\x00" in decoded:
            raise BadInput(f"{where} chứa ký tự NUL (\\0), không được chấp nhận; vui lòng bỏ ký tự đó.")
        if controls and not CONTROL_BYTES.isdisjoint(decoded):
            raise BadInput(f"{where} chứa ký tự điều khiển, không được chấp nhận; vui lòng kiểm tra lại.")
        try:
            decoded.decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput(f"{where} không phải văn bản UTF-8.") from None


async def _send_problem(problem: Problem, scope: Scope, send: Send) -> None:
    body = json.dumps(problem.body(scope.get("path")), ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class InputGuard:
    """Refuses bad paths, queries and JSON/form bodies with 400 (413 for an oversized JSON body)."""

    def __init__(self, app: ASGIApp, *, max_json_bytes: int = MAX_JSON_BYTES) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            _check_text(scope["path"], "Đường dẫn")
            raw_path = scope.get("raw_path") or b""
            _check_url_encoded(raw_path or scope["path"].encode(), "Đường dẫn", controls=True)
            _check_url_encoded(scope.get("query_string", b""), "Tham số truy vấn", controls=True)
        except BadInput as exc:
            await _send_problem(_invalid(str(exc)), scope, send)
            return
        content_type = Headers(scope=scope).get("content-type", "")
        media = content_type.split(";", 1)[0].strip().lower()
        if not (_is_json(content_type) or media == "application/x-www-form-urlencoded"):
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_json_bytes:
                limit = self.max_json_bytes // 1024
                problem = Problem(
                    413,
                    "body-too-large",
                    "Nội dung gửi lên quá lớn",
                    f"Nội dung không được vượt quá {limit} KiB.",
                )
                await _send_problem(problem, scope, send)
                return
        try:
            if _is_json(content_type):
                if body.strip():
                    parse_json(body)
            else:
                _check_url_encoded(body, "Dữ liệu biểu mẫu")
        except BadInput as exc:
            await _send_problem(_invalid(str(exc)), scope, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def security_headers(
    scope: Scope, headers: MutableHeaders, proxies: TrustedProxies, html_csp: str = HTML_CSP
) -> None:
    """Sets the headers (keeping any the route set itself) on the response of `scope`."""
    path: str = scope.get("path", "")
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if "content-security-policy" not in headers:
        if path in DOCS_PATHS:
            headers["content-security-policy"] = DOCS_CSP
        elif media == "text/html":
            headers["content-security-policy"] = html_csp
        else:
            headers["content-security-policy"] = API_CSP
    headers.setdefault("x-content-type-options", "nosniff")
    headers.setdefault("x-frame-options", "DENY")
    headers.setdefault("referrer-policy", "no-referrer")
    headers.setdefault("cross-origin-opener-policy", "same-origin")
    if "cache-control" not in headers and not path.startswith("/static/"):
        headers["cache-control"] = "no-store"
    if over_tls(scope, proxies):
        headers.setdefault("strict-transport-security", HSTS)


def over_tls(scope: Scope, proxies: TrustedProxies) -> bool:
    """The request reached us over TLS: directly, or through a trusted proxy that says so."""
    if scope.get("scheme") == "https":
        return True
    client = scope.get("client")
    peer = client[0] if client else None
    if peer is None or not proxies.trusts(peer):
        return False
    request_headers = Headers(scope=scope)
    if client_address(peer, request_headers.get("x-forwarded-for"), proxies) is None:
        return False
    proto = request_headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
    return proto == "https"


class SecurityHeaders:
    """Adds `security_headers` to every response of the app it wraps."""

    def __init__(self, app: ASGIApp, *, proxies: TrustedProxies, html_csp: str = HTML_CSP) -> None:
        self.app = app
        self.proxies = proxies
        self.html_csp = html_csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                security_headers(scope, MutableHeaders(scope=message), self.proxies, self.html_csp)
            await send(message)

        await self.app(scope, receive, with_headers)
