"""Helpers the end-to-end tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

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


def submit(
    stack: Stack,
    *,
    email: str,
    procedure_code: str = "1.003560.000.00.00.H56",
    files: list[tuple[str, bytes, str]] | None = None,
) -> httpx.Response:
    dossier = json.dumps(
        {
            "procedure_code": procedure_code,
            "applicant_name": "Nguyễn Thị Bình",
            "email": email,
            "phone": "0912345678",
        },
        ensure_ascii=False,
    )
    parts = files if files is not None else [("don-de-nghi.pdf", PDF, "application/pdf")]
    return httpx.post(
        stack.url("intake") + "/api/v1/dossiers",
        data={"dossier": dossier},
        files=[("files", part) for part in parts],
        timeout=30,
    )


def mails_to(stack: Stack, address: str) -> list[dict[str, Any]]:
    response = httpx.get(stack.url("sandbox") + "/mail", params={"to": address}, timeout=10)
    response.raise_for_status()
    mails: list[dict[str, Any]] = response.json()
    return mails


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
