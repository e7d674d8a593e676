"""Multipart uploads read under intake's limits while they stream in: a file part stops being read at
the per-file limit (never spooled whole to disk first), a body announced larger than every file at
its limit together is refused before a byte is read, and so are too many files. The routes declare
the multipart body in the OpenAPI themselves (`multipart_body`), since the framework's own form
parsing would read the whole upload before the route runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from dvc_intake import errors
from dvc_intake.domain.documents import UnsafeFileName, sanitise_file_name
from dvc_intake.service.uploads import Limits

# Room for the non-file parts (the `dossier` JSON) and the multipart framing.
FORM_OVERHEAD = 1024 * 1024


class _FileTooLarge(Exception):
    def __init__(self, name: str | None) -> None:
        super().__init__(name)
        self.name = name


class _LimitedParser(MultiPartParser):
    """Starlette's streaming parser, stopped as soon as one file part passes `max_file_bytes`."""

    def __init__(self, request: Request, limits: Limits) -> None:
        super().__init__(
            request.headers,
            request.stream(),
            max_files=limits.max_files,
            max_fields=8,
            max_part_size=FORM_OVERHEAD,
        )
        self.max_file_bytes = limits.max_file_bytes
        self._file_bytes = 0

    def on_part_begin(self) -> None:
        super().on_part_begin()
        self._file_bytes = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current_part.file is not None:
            self._file_bytes += end - start
            if self._file_bytes > self.max_file_bytes:
                raise _FileTooLarge(self._current_part.file.filename)
        super().on_part_data(data, start, end)


@dataclass(frozen=True)
class Uploaded:
    fields: Mapping[str, str]
    files: list[UploadFile]


@asynccontextmanager
async def read_multipart(
    request: Request, limits: Limits, *, files_field: str = "files"
) -> AsyncIterator[Uploaded]:
    """The form's text fields and its files (closed on exit), read under the limits."""
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("application/x-www-form-urlencoded"):  # fields only (reuse, no files)
        fields_only = await request.form(max_files=0, max_fields=8, max_part_size=FORM_OVERHEAD)
        try:
            yield Uploaded({k: v for k, v in fields_only.multi_items() if isinstance(v, str)}, [])
        finally:
            await fields_only.close()
        return
    if not content_type.startswith("multipart/form-data"):
        raise errors.not_multipart()
    announced = request.headers.get("content-length")
    if (
        announced
        and announced.isdigit()
        and int(announced) > limits.max_files * limits.max_file_bytes + FORM_OVERHEAD
    ):
        raise errors.request_too_large(limits.max_file_bytes, limits.max_files)
    try:
        form: FormData = await _LimitedParser(request, limits).parse()
    except _FileTooLarge as exc:
        raise errors.file_too_large(_display_name(exc.name), limits.max_file_bytes) from exc
    except MultiPartException as exc:
        if str(exc).startswith("Too many files"):
            raise errors.too_many_files(limits.max_files) from exc
        raise errors.invalid_multipart() from exc
    try:
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        uploads = [v for k, v in form.multi_items() if k == files_field and not isinstance(v, str)]
        yield Uploaded(fields, uploads)
    finally:
        await form.close()


def _display_name(raw: str | None) -> str:
    try:
        return sanitise_file_name(raw, "tệp")
    except UnsafeFileName:
        return "tệp"


def multipart_body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """`openapi_extra` declaring a multipart request body (parts described like schema properties)."""
    encoding = {
        name: {"contentType": "application/json"}
        for name, schema in properties.items()
        if schema.get("contentMediaType") == "application/json"
    }
    content: dict[str, Any] = {
        "schema": {"type": "object", "properties": properties, "required": required},
    }
    if encoding:
        content["encoding"] = encoding
    return {"requestBody": {"required": True, "content": {"multipart/form-data": content}}}


def files_part(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "format": "binary"}, "description": description}


def upload_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem+json answers of an upload route, documented in the OpenAPI."""
    described = {
        401: "Chưa đăng nhập (nộp trực tuyến cần VNeID)",
        403: "Không có quyền (kênh nộp, cơ quan tiếp nhận, dùng lại giấy tờ)",
        404: "Không tìm thấy hồ sơ",
        409: "Hồ sơ không ở trạng thái cho phép",
        413: "Tệp hoặc dữ liệu gửi lên quá lớn",
        415: "Loại tệp hoặc kiểu dữ liệu không được chấp nhận",
        422: "Dữ liệu không hợp lệ (tờ khai, thành phần, tệp)",
        503: "Hệ thống định danh tạm thời không trả lời",
    }
    return {
        status: {"description": described[status], "content": {"application/problem+json": {}}}
        for status in statuses
    }
