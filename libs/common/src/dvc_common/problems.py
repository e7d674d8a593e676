"""RFC 9457 problem details: every error a client sees says what went wrong and what to do."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

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


# Pydantic error types a person can meet, in Vietnamese; `{name}` placeholders come from the
# error's context. Unknown types fall back to a generic sentence (never pydantic's English).
_MESSAGES: dict[str, str] = {
    "missing": "Trường này là bắt buộc.",
    "extra_forbidden": "Trường này không được chấp nhận.",
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_short": "Phải có ít nhất {min_length} ký tự.",
    "string_too_long": "Không được dài quá {max_length} ký tự.",
    "string_pattern_mismatch": "Không đúng định dạng yêu cầu.",
    "string_unicode": "Phải là văn bản Unicode hợp lệ.",
    "too_short": "Phải có ít nhất {min_length} phần tử.",
    "too_long": "Không được có quá {max_length} phần tử.",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "int_parsing_size": "Số nguyên quá lớn.",
    "int_from_float": "Phải là số nguyên (không có phần thập phân).",
    "float_type": "Phải là số.",
    "float_parsing": "Phải là số.",
    "finite_number": "Phải là số hữu hạn.",
    "decimal_type": "Phải là số thập phân.",
    "decimal_parsing": "Phải là số thập phân.",
    "decimal_max_digits": "Không được có quá {max_digits} chữ số.",
    "decimal_max_places": "Không được có quá {decimal_places} chữ số thập phân.",
    "decimal_whole_digits": "Phần nguyên không được có quá {whole_digits} chữ số.",
    "multiple_of": "Phải là bội số của {multiple_of}.",
    "bool_type": "Phải là true hoặc false.",
    "bool_parsing": "Phải là true hoặc false.",
    "greater_than": "Phải lớn hơn {gt}.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "enum": "Phải là một trong các giá trị: {expected}.",
    "literal_error": "Phải là một trong các giá trị: {expected}.",
    "date_type": "Phải là ngày theo dạng YYYY-MM-DD (ví dụ 2026-12-31).",
    "date_parsing": "Phải là ngày theo dạng YYYY-MM-DD (ví dụ 2026-12-31).",
    "date_from_datetime_parsing": "Phải là ngày theo dạng YYYY-MM-DD (ví dụ 2026-12-31).",
    "date_from_datetime_inexact": "Phải là một ngày, không kèm giờ.",
    "date_past": "Phải là một ngày trong quá khứ.",
    "date_future": "Phải là một ngày trong tương lai.",
    "datetime_type": "Phải là thời điểm theo ISO 8601 (ví dụ 2026-12-31T08:00:00+07:00).",
    "datetime_parsing": "Phải là thời điểm theo ISO 8601 (ví dụ 2026-12-31T08:00:00+07:00).",
    "datetime_from_date_parsing": "Phải là thời điểm theo ISO 8601 (ví dụ 2026-12-31T08:00:00+07:00).",
    "datetime_object_invalid": "Thời điểm không hợp lệ.",
    "timezone_aware": "Thời điểm phải có múi giờ (ví dụ +07:00).",
    "timezone_naive": "Thời điểm không được kèm múi giờ.",
    "time_type": "Phải là giờ theo dạng HH:MM[:SS].",
    "time_parsing": "Phải là giờ theo dạng HH:MM[:SS].",
    "time_delta_type": "Phải là một khoảng thời gian.",
    "time_delta_parsing": "Phải là một khoảng thời gian.",
    "uuid_type": "Phải là mã UUID.",
    "uuid_parsing": "Phải là mã UUID hợp lệ.",
    "url_type": "Phải là một địa chỉ URL.",
    "url_parsing": "Địa chỉ URL không hợp lệ.",
    "url_scheme": "Địa chỉ URL phải bắt đầu bằng {expected_schemes}.",
    "url_too_long": "Địa chỉ URL không được dài quá {max_length} ký tự.",
    "url_syntax_violation": "Địa chỉ URL không hợp lệ.",
    "json_invalid": "Không phải JSON hợp lệ.",
    "json_type": "Phải là chuỗi JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "list_type": "Phải là một danh sách.",
    "tuple_type": "Phải là một danh sách.",
    "set_type": "Phải là một danh sách các giá trị khác nhau.",
    "bytes_type": "Phải là dữ liệu nhị phân.",
    "bytes_too_short": "Phải có ít nhất {min_length} byte.",
    "bytes_too_long": "Không được quá {max_length} byte.",
    "union_tag_invalid": "Loại {tag} không hợp lệ; các loại được chấp nhận: {expected_tags}.",
    "union_tag_not_found": "Thiếu trường phân loại {discriminator}.",
    "is_instance_of": "Giá trị không đúng kiểu.",
    "none_required": "Phải để trống.",
    "frozen_field": "Trường này không được thay đổi.",
    "ip_v4_address": "Phải là địa chỉ IPv4.",
    "ip_any_address": "Phải là địa chỉ IP.",
}
_GENERIC = "Giá trị không hợp lệ."
_LOCATIONS = {"body": "nội dung", "query": "tham số truy vấn", "path": "đường dẫn", "header": "tiêu đề"}


def _vietnamese_list(expected: object) -> object:
    return str(expected).replace(" or ", " hoặc ") if isinstance(expected, str) else expected


def field_message(error: Mapping[str, Any]) -> str:
    """One pydantic error in Vietnamese. A `value_error`/`assertion_error` raised by a validator
    of ours carries our own (Vietnamese) sentence, kept; e-mail addresses have theirs."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    msg = str(error.get("msg", ""))
    if kind in ("value_error", "assertion_error"):
        if "email address" in msg:
            return "Địa chỉ thư điện tử không hợp lệ."
        for prefix in ("Value error, ", "Assertion failed, "):
            if msg.startswith(prefix):
                msg = msg[len(prefix) :]
        return msg if msg and not msg.isascii() else _GENERIC
    template = _MESSAGES.get(kind)
    if template is None:
        return _GENERIC
    ctx = {key: _vietnamese_list(value) for key, value in ctx.items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split("{", 1)[0].rstrip(": ") + "." if "{" in template else template


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic's errors as `[{field, location, message, code}]`, `message` in Vietnamese."""
    out: list[dict[str, str]] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        out.append(
            {
                "field": ".".join(str(p) for p in loc),
                "location": _LOCATIONS.get(str(loc[0]), str(loc[0])) if loc else "",
                "message": field_message(err),
                "code": str(err.get("type", "")),
            }
        )
    return out


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(exc.errors())
    listed = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    problem = Problem(
        422,
        "invalid-request",
        "Dữ liệu gửi lên không hợp lệ",
        f"Yêu cầu thiếu thông tin hoặc thông tin sai định dạng; vui lòng kiểm tra: {listed}",
        errors=errors,
    )
    return problem_response(problem, request)


async def _on_data_error(request: Request, exc: Exception) -> JSONResponse:
    """The database refused a value (an integer beyond its column, a NUL in text): bad input,
    not a server error. Anything else from the database is a 500 like any other error."""
    assert isinstance(exc, DBAPIError)
    sqlstate = str(getattr(exc.orig, "sqlstate", "") or "")
    if not sqlstate.startswith("22"):
        raise exc  # to the last-resort handler (a 500 problem+json, logged by the server)
    log.info("database refused a value: %s", sqlstate, extra={"path": request.url.path})
    problem = Problem(
        422,
        "invalid-value",
        "Giá trị vượt giới hạn cho phép",
        "Một giá trị gửi lên không lưu được (số quá lớn, ký tự không hợp lệ hoặc sai định dạng);"
        " vui lòng kiểm tra lại dữ liệu.",
    )
    return problem_response(problem, request)


async def _on_undecodable(request: Request, exc: Exception) -> JSONResponse:
    problem = Problem(
        400,
        "bad-encoding",
        "Dữ liệu gửi lên không hợp lệ",
        "Nội dung gửi lên không phải văn bản UTF-8; vui lòng lưu tệp với bảng mã UTF-8 rồi gửi lại.",
    )
    return problem_response(problem, request)


async def _on_unhandled(request: Request, exc: Exception) -> JSONResponse:
    """Last resort (Starlette's server-error middleware logs the trace after it); no trace to the client."""
    problem = Problem(
        500,
        "internal-error",
        "Lỗi hệ thống",
        "Hệ thống gặp sự cố khi xử lý yêu cầu. Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy liên hệ"
        " bộ phận hỗ trợ.",
    )
    return problem_response(problem, request)


_HTTP_DETAILS = {
    400: "Yêu cầu không hợp lệ.",
    401: "Cần đăng nhập để thực hiện thao tác này.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy địa chỉ yêu cầu; vui lòng kiểm tra lại đường dẫn.",
    405: "Địa chỉ này không hỗ trợ phương thức đã dùng.",
    406: "Không có định dạng trả lời phù hợp với yêu cầu.",
    413: "Nội dung gửi lên quá lớn.",
    415: "Định dạng nội dung gửi lên không được hỗ trợ.",
}


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "Không tìm thấy", 405: "Phương thức không được hỗ trợ", 401: "Chưa xác thực"}
    detail = str(exc.detail)
    if detail.isascii():  # the framework's own English reason phrases
        detail = _HTTP_DETAILS.get(exc.status_code, "Yêu cầu không thực hiện được.")
    problem = Problem(
        exc.status_code,
        f"http-{exc.status_code}",
        titles.get(exc.status_code, "Yêu cầu không thực hiện được"),
        detail,
        headers=dict(exc.headers or {}),
    )
    return problem_response(problem, request)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(DBAPIError, _on_data_error)
    app.add_exception_handler(UnicodeDecodeError, _on_undecodable)
    app.add_exception_handler(Exception, _on_unhandled)
