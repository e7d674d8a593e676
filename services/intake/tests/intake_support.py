"""Intake in-process against a real, migrated PostgreSQL database and a blob directory; tokens signed
by the shared fake identity (dvc_devkit's KeyRing). Driven over HTTP (ASGI transport) the way citizens
and officers call it; events are read back from the outbox table."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text

import dvc_intake
from dvc_devkit.identity import KeyRing
from dvc_devkit.testing.infra import postgres_database
from dvc_intake.app import build
from dvc_intake.models import Procedure
from dvc_intake.repository import IntakeRepository
from dvc_intake.settings import IntakeSettings

MIGRATIONS = Path(dvc_intake.__file__).parent / "migrations"
AGENCY = "000.00.14.H56"  # Sở Xây dựng
OTHER_AGENCY = "000.00.03.H56"  # Sở Tư pháp
BUILDING_PERMIT = "1.003560.000.00.00.H56"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MAX_FILE_BYTES = 256 * 1024


@pytest.fixture(scope="session")
def intake_db_url() -> Iterator[str]:
    with postgres_database("dvc_intake_test", MIGRATIONS) as url:
        yield url


@dataclass
class Intake:
    app: FastAPI
    client: httpx.AsyncClient
    keys: KeyRing
    blob_dir: Path

    def citizen(self, sub: str) -> dict[str, str]:
        return self.keys.citizen(sub)

    def officer(self, *roles: str, agency: str = AGENCY, sub: str = "can-bo-1") -> dict[str, str]:
        return self.keys.officer(*roles, agency=agency, sub=sub)

    async def submit(
        self,
        *,
        files: list[tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
        procedure: str = BUILDING_PERMIT,
        **fields: Any,
    ) -> httpx.Response:
        """Online by a signed-in citizen (a fresh one) unless `headers` say who (`{}`: anonymous)."""
        dossier = {"procedure_code": procedure, "applicant_name": "Nguyễn Thị Bình"} | fields
        parts = files if files is not None else [("don-de-nghi.pdf", PDF, "application/pdf")]
        if headers is None:
            headers = self.citizen(f"cd-{uuid.uuid4().hex[:8]}")
        return await self.client.post(
            "/api/v1/dossiers",
            data={"dossier": json.dumps(dossier, ensure_ascii=False)},
            files=[("files", part) for part in parts],
            headers=headers,
        )

    async def scalar(self, statement: str, **params: Any) -> Any:
        async with self.app.state.runtime.engine.connect() as conn:
            return (await conn.execute(text(statement), params)).scalar()

    async def counts(self) -> tuple[int, int, int, int]:
        """Dossiers, files, outbox messages and stored blobs: all unchanged after a refusal."""
        blobs = sum(1 for p in self.blob_dir.rglob("*") if p.is_file())
        return (
            await self.scalar("SELECT count(*) FROM intake_dossier"),
            await self.scalar("SELECT count(*) FROM intake_dossier_file"),
            await self.scalar("SELECT count(*) FROM outbox_message"),
            blobs,
        )

    async def add_procedure(
        self,
        code: str,
        agency_id: str,
        *,
        signature_required: bool = False,
        form_schema: dict[str, Any] | None = None,
        result_delivery: list[str] | None = None,
        components: list[str] | None = None,
        agencies: list[dict[str, Any]] | None = None,
    ) -> None:
        async with self.app.state.runtime.transaction() as session:
            await IntakeRepository(session).upsert_procedure(
                Procedure(
                    code=code,
                    name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
                    agency_id=agency_id,
                    agency_name="Sở Xây dựng tỉnh Lai Châu",
                    processing_time_value=15,
                    processing_time_unit="working_day",
                    online_level="full",
                    revision="r1",
                    signature_required=signature_required,
                    form_schema=form_schema,
                    result_delivery=result_delivery,
                    components=components,
                    agencies=agencies,
                    updated_at=datetime.now(UTC),
                )
            )


@pytest.fixture
async def intake(intake_db_url: str, tmp_path: Path) -> AsyncIterator[Intake]:
    blob_dir = tmp_path / "blobs"
    settings = IntakeSettings(
        database_url=SecretStr(intake_db_url),
        blob_dir=blob_dir,
        db_pool_size=3,
        log_json=False,
        max_file_bytes=MAX_FILE_BYTES,
        scanner="none",  # the antivirus has its own test against a real clamd (test_intake_clamd.py)
    )
    app = build(settings)
    blob_dir.mkdir(parents=True, exist_ok=True)
    keys = KeyRing()
    app.state.token_verifier = keys.verifier()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://intake.test"
    ) as client:
        found = Intake(app, client, keys, blob_dir)
        await found.add_procedure(BUILDING_PERMIT, AGENCY)
        yield found
    await app.state.runtime.engine.dispose()


def unique_agency() -> str:
    """A fresh agency identifier (own code counter) per test: 000.00.NN.H<2 digits>."""
    n = uuid.uuid4().int
    return f"{n % 1000:03d}.{n // 1000 % 100:02d}.{n // 100000 % 100:02d}.H{n // 10**7 % 100:02d}"


def signed_pdf(*, tamper: bool = False) -> bytes:
    """A PDF with a signature field whose value has a digest and a ByteRange over the whole file
    (the structure a signing tool writes; the digest bytes are random, no certificate)."""
    import io
    import os

    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    value = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Sig"),
            NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
            NameObject("/ByteRange"): ArrayObject([NumberObject(1111111111)] * 4),
            NameObject("/Contents"): ByteStringObject(b"\x00" * 64),
        }
    )
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Chu ky so"),
            NameObject("/V"): writer._add_object(value),
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
        }
    )
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject([writer._add_object(field)]),
            NameObject("/SigFlags"): NumberObject(3),
        }
    )
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    hole_start = data.index(b"/Contents <") + len(b"/Contents ")
    hole_end = data.index(b">", hole_start) + 1
    ranges = b" ".join(f"{n:010d}".encode() for n in (0, hole_start, hole_end, len(data) - hole_end))
    data = data.replace(b" ".join([b"1111111111"] * 4), ranges, 1)
    digest = os.urandom(64).hex().encode()
    data = data[: hole_start + 1] + digest + data[hole_start + 1 + len(digest) :]
    return data + (b"% appended after signing\n" if tamper else b"")
