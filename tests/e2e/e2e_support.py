"""Helpers the end-to-end tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import asyncpg
import httpx

from dvc_devkit.devstack import Stack

MAX_FILE_BYTES = 1024 * 1024
BUCKET = "dvc-e2e"
T = TypeVar("T")


def eventually(probe: Callable[[], T | None], *, timeout: float = 30, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def db_scalar(stack: Stack, service: str, sql: str, *args: Any) -> Any:
    async def query() -> Any:
        url = stack.config.database_url(service).replace("postgresql+asyncpg", "postgresql")
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetchval(sql, *args)
        finally:
            await conn.close()

    return asyncio.run(query())


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# 1.004946 (giấy phép lái xe quốc tế): its e-form as the catalog's schema wants it, and its second
# component (every component the procedure lists is required; the tờ khai is the first).
DRIVING_LICENCE_EFORM = {"ho_ten": "Giàng Thị Mỷ", "so_gplx": "120123456789", "hang": "B"}
PASSPORT_COPY = ("ban-sao-ho-chieu.pdf", PDF + b"%ho-chieu", "application/pdf")


# The VNeID simulator's citizen who submits through `submit` (online submission needs a VNeID login).
SUBMITTER_ID = "011400001234"
_signed_in: dict[int, dict[str, str]] = {}


def vneid_headers(stack: Stack, personal_id: str) -> dict[str, str]:
    """A citizen signed in through identity's VNeID login (the sandbox simulator's people)."""
    with httpx.Client(base_url=stack.url("identity"), timeout=30) as identity:
        start = identity.get("/api/v1/citizen/login")
        location = start.headers["location"]
        params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        back = httpx.post(
            location.split("?")[0], data=params | {"account": personal_id, "decision": "allow"}, timeout=30
        )
        done = identity.get("/api/v1/citizen/callback?" + urlsplit(back.headers["location"]).query)
    assert done.status_code == 200, done.text
    return {"Authorization": f"Bearer {done.json()['access_token']}"}


def submitter_headers(stack: Stack) -> dict[str, str]:
    """The signed-in citizen `submit` uses (signed in once per stack)."""
    if id(stack) not in _signed_in:
        _signed_in[id(stack)] = vneid_headers(stack, SUBMITTER_ID)
    return _signed_in[id(stack)]


def component_files(stack: Stack, procedure_code: str) -> list[tuple[str, bytes, str]]:
    """One PDF per component the procedure lists (every listed component is required)."""
    response = httpx.get(stack.url("intake") + f"/api/v1/procedures/{procedure_code}", timeout=10)
    count = len(response.json().get("components") or []) if response.status_code == 200 else 1
    return [(f"thanh-phan-{n}.pdf", PDF, "application/pdf") for n in range(1, max(count, 1) + 1)]


def submit(
    stack: Stack,
    *,
    email: str,
    procedure_code: str = "1.003560.000.00.00.H56",
    files: list[tuple[str, bytes, str]] | None = None,
) -> httpx.Response:
    """Online, by the signed-in `SUBMITTER_ID`, one PDF per component unless `files` are given."""
    dossier = json.dumps(
        {
            "procedure_code": procedure_code,
            "applicant_name": "Nguyễn Thị Bình",
            "email": email,
            "phone": "0912345678",
        },
        ensure_ascii=False,
    )
    parts = files if files is not None else component_files(stack, procedure_code)
    return httpx.post(
        stack.url("intake") + "/api/v1/dossiers",
        data={"dossier": dossier},
        files=[("files", part) for part in parts],
        headers=submitter_headers(stack),
        timeout=30,
    )


def mails_to(stack: Stack, address: str) -> list[dict[str, Any]]:
    response = httpx.get(stack.url("sandbox") + "/mail", params={"to": address}, timeout=10)
    response.raise_for_status()
    mails: list[dict[str, Any]] = response.json()
    return mails


_TEMPORARY = re.compile(r"Mật khẩu tạm thời: (\S+)")


def mailed_password(stack: Stack, address: str, *, letters: int = 1) -> str:
    """The temporary password in the `letters`-th account letter notify mailed to `address` (identity
    never shows it to whoever opened the account or reset the password; issue 16)."""

    def arrived() -> list[str] | None:
        found = []
        for mail in mails_to(stack, address):
            text = httpx.get(stack.url("sandbox") + f"/mail/{mail['id']}", timeout=10).json()["text"]
            match = _TEMPORARY.search(text)
            if match:
                found.append(match.group(1))
        return found if len(found) >= letters else None

    return eventually(arrived, timeout=60, what=f"account letter {letters} to {address}")[letters - 1]


def portal_record(stack: Stack, code: str) -> dict[str, Any] | None:
    response = httpx.get(
        stack.url("sandbox") + f"/national-portal/api/dossiers/{code}",
        headers={"X-API-Key": "sandbox-dev-key"},
        timeout=10,
    )
    if response.status_code == 404:
        return None
    response.raise_for_status()
    data: dict[str, Any] = response.json()["data"]
    return data


def log_records(stack: Stack, service: str) -> list[dict[str, Any]]:
    path: Path = stack.log_dir / f"{service}.log"
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return records
