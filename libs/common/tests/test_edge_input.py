"""Bad input is refused once, at the platform's edge, with a Vietnamese problem+json; never a 500.

A small service built by `create_app` (the factory every service uses) on the real test database:
a NUL byte in a path, a query or a JSON string, an integer beyond the database column, JSON that
is not JSON, too deep, `NaN` or `1e309`, a body that is not UTF-8, and an unhandled error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

import httpx
import pytest
from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, EmailStr, Field, HttpUrl, SecretStr
from pydantic_settings import SettingsConfigDict
from sqlalchemy import text

from dvc_common.runtime import RuntimeDep, ServiceRuntime, create_app
from dvc_common.settings import ServiceSettings
from dvc_devkit.testing.s3server import free_port


class EdgeTestSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_EDGE_TEST_", extra="ignore")


class Kind(StrEnum):
    CITIZEN = "citizen"
    ORGANISATION = "organisation"


class Applicant(BaseModel):
    name: str = Field(min_length=2, max_length=20)
    kind: Kind
    delivery: Literal["online", "post"] = "online"
    email: EmailStr | None = None
    site: HttpUrl | None = None
    born: date | None = None
    copies: int = Field(default=1, gt=0, le=10)


router = APIRouter()


@router.get("/api/v1/things/{code}")
async def read_thing(code: str, runtime: RuntimeDep, after: int = 0) -> dict[str, object]:
    async with runtime.transaction() as session:
        # A parameter the database types as int4, like a serial id or a cursor.
        found = (await session.execute(text("SELECT CAST(:after AS int)"), {"after": after})).scalar_one()
    return {"code": code, "after": found}


@router.post("/api/v1/things")
async def create_thing(applicant: Applicant, runtime: RuntimeDep) -> dict[str, object]:
    async with runtime.transaction() as session:
        stored = (await session.execute(text("SELECT CAST(:n AS text)"), {"n": applicant.name})).scalar_one()
    return {"name": stored}


@router.post("/api/v1/raw")
async def raw_text(runtime: RuntimeDep, note: Annotated[str, Body(embed=True)]) -> dict[str, str]:
    return {"note": note}


@router.get("/api/v1/search")
async def search(q: Annotated[str, Query(max_length=5)], page: int = 1) -> dict[str, object]:
    return {"q": q, "page": page}


@router.post("/api/v1/import")
async def import_bytes(body: Annotated[bytes, Body(media_type="text/csv")]) -> dict[str, int]:
    return {"lines": len(body.decode("utf-8").splitlines())}


@router.get("/api/v1/boom")
async def boom() -> None:
    raise RuntimeError("a bug with a secret in its message: postgres://user:pw@db")


@pytest.fixture
async def client(platform_db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = EdgeTestSettings(
        service_name="edge-test",
        database_url=SecretStr(platform_db_url),
        amqp_url=SecretStr(f"amqp://guest:guest@127.0.0.1:{free_port()}/"),
        log_json=False,
        log_level="CRITICAL",
    )
    runtime = ServiceRuntime(settings)
    app = create_app(runtime, title="edge", description="edge", routers=[router])
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://edge") as http:
        yield http
    await runtime.engine.dispose()


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    detail = str(body["detail"])
    assert detail and not detail.isascii(), detail  # Vietnamese, with diacritics
    assert "Traceback" not in response.text
    return body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/things/A%00B",
        "/api/v1/things/A?after=1&x=a%00",
        "/api/v1/search?q=a%00",
        "/api/v1/search?q=%ff%fe",
        "/api/v1/things/%ff",
        "/api/v1/things/A%1EB",  # a control character (the portal built an invalid upstream URL of it)
        "/api/v1/search?q=a%0Ab",
    ],
)
async def test_a_nul_control_or_invalid_utf8_in_the_path_or_query_is_400(
    client: httpx.AsyncClient, url: str
) -> None:
    assert_problem(await client.get(url), 400)


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "A\\u0000B", "kind": "citizen"}',
        b'{"name": "AB", "kind": "citizen", "A\\u0000": 1}',
        b'{"name": "A\\ud800B", "kind": "citizen"}',
        b'{"name": "AB", "kind": "citizen", "copies": NaN}',
        b'{"name": "AB", "kind": "citizen", "copies": Infinity}',
        b'{"name": "AB", "kind": "citizen", "copies": 1e309}',
        b"[" * 10_000 + b"]" * 10_000,
        b'{"name": "AB", "kind": ',
        '{"name": "Hà Nội", "kind": "citizen"}'.encode("latin-1", "replace"),
        b"\xff\xfe{}",
    ],
    ids=["nul", "nul-key", "surrogate", "nan", "infinity", "1e309", "deep", "truncated", "latin-1", "bom"],
)
async def test_json_a_service_cannot_take_is_400(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post("/api/v1/things", content=body, headers={"content-type": "application/json"})
    assert_problem(response, 400)


async def test_a_nul_in_a_form_body_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/raw", content=b"note=a%00b", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert_problem(response, 400)


async def test_an_integer_beyond_the_database_column_is_422_not_500(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/things/A?after=2147483647")).json() == {
        "code": "A",
        "after": 2147483647,
    }
    body = assert_problem(await client.get("/api/v1/things/A?after=2147483648"), 422)
    assert body["type"] == "https://dichvucong.example.gov.vn/problems/invalid-value"
    assert_problem(await client.get("/api/v1/things/A?after=-99999999999999999999999"), 422)


async def test_a_body_that_is_not_utf8_where_a_route_decodes_it_is_400(client: httpx.AsyncClient) -> None:
    assert (
        await client.post("/api/v1/import", content=b"a\nb", headers={"content-type": "text/csv"})
    ).json() == {"lines": 2}
    response = await client.post(
        "/api/v1/import", content="Mã;Tên\nA;Đạt".encode("utf-16"), headers={"content-type": "text/csv"}
    )
    assert_problem(response, 400)


async def test_an_unhandled_error_is_a_500_problem_without_a_trace(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/boom")
    body = assert_problem(response, 500)
    assert "postgres" not in response.text and "RuntimeError" not in response.text
    assert body["type"] == "https://dichvucong.example.gov.vn/problems/internal-error"
    assert response.headers["x-content-type-options"] == "nosniff"  # the last resort has the headers too


async def test_good_input_still_passes(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/things", json={"name": "Nguyễn An", "kind": "citizen"})
    assert response.status_code == 200 and response.json() == {"name": "Nguyễn An"}
    assert (await client.get("/api/v1/things/A%20B")).json() == {"code": "A B", "after": 0}


async def test_field_errors_are_in_vietnamese_with_their_location(client: httpx.AsyncClient) -> None:
    """Issue 15: no pydantic English inside a Vietnamese problem; each error names its field."""
    bad = {
        "name": "A" * 21,
        "kind": "robot",
        "delivery": "fax",
        "email": "khong-phai-email",
        "site": "not a url",
        "born": "31/12/2026",
        "copies": 0,
    }
    body = assert_problem(await client.post("/api/v1/things", json=bad), 422)
    errors = {e["field"]: e for e in body["errors"]}  # type: ignore[attr-defined]
    messages = {field: e["message"] for field, e in errors.items()}
    assert messages == {
        "body.name": "Không được dài quá 20 ký tự.",
        "body.kind": "Phải là một trong các giá trị: 'citizen' hoặc 'organisation'.",
        "body.delivery": "Phải là một trong các giá trị: 'online' hoặc 'post'.",
        "body.email": "Địa chỉ thư điện tử không hợp lệ.",
        "body.site": "Địa chỉ URL không hợp lệ.",
        "body.born": "Phải là ngày theo dạng YYYY-MM-DD (ví dụ 2026-12-31).",
        "body.copies": "Phải lớn hơn 0.",
    }
    assert {e["location"] for e in errors.values()} == {"nội dung"}
    missing = assert_problem(await client.post("/api/v1/things", json={"name": "A"}), 422)
    assert {(e["field"], e["message"]) for e in missing["errors"]} == {  # type: ignore[attr-defined]
        ("body.name", "Phải có ít nhất 2 ký tự."),
        ("body.kind", "Trường này là bắt buộc."),
    }
    query = assert_problem(await client.get("/api/v1/search?q=abcdef&page=x"), 422)
    assert {(e["field"], e["location"], e["message"]) for e in query["errors"]} == {  # type: ignore[attr-defined]
        ("query.q", "tham số truy vấn", "Không được dài quá 5 ký tự."),
        ("query.page", "tham số truy vấn", "Phải là số nguyên."),
    }
    for problem in (body, missing, query):
        assert all(not e["message"].isascii() for e in problem["errors"])  # type: ignore[attr-defined]


async def test_the_openapi_documents_every_problem_an_operation_can_answer(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    things = spec["paths"]["/api/v1/things/{code}"]["get"]["responses"]
    assert {"400", "404", "422"} <= set(things)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert things["404"]["content"] == problem
    assert things["422"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/ValidationProblem"}}
    }
    created = spec["paths"]["/api/v1/things"]["post"]["responses"]
    assert {"400", "409", "413", "415", "422"} <= set(created)
    assert spec["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status", "detail"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "401" not in things  # no token is read there
