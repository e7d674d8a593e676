"""Test support for sync-national: a migrated PostgreSQL database, the sandbox's national-portal
simulator (its ASGI app, called over HTTP by the real PortalClient), and the producers' payloads
handed to the tracking use-cases as the subscribers hand them."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

import dvc_sync_national
from dvc_common.db import UnitOfWork, unit_of_work
from dvc_common.events import (
    DossierContactRegistered,
    DossierStatusChanged,
    DossierSubmitted,
    NationalStatus,
    ProcedurePublished,
    ProcessingStep,
    ProcessingTime,
    SubmittedFile,
)
from dvc_common.outbox import Outbox
from dvc_devkit.testing.infra import postgres_database
from dvc_sandbox.app import create_app as create_sandbox
from dvc_sandbox.portal_store import PortalStore
from dvc_sandbox.settings import DEFAULT_PORTAL_API_KEY, SandboxSettings
from dvc_sync_national.portal import PortalClient
from dvc_sync_national.service import tracking
from dvc_sync_national.settings import SyncNationalSettings

MIGRATIONS = Path(dvc_sync_national.__file__).parent / "migrations"
PROCEDURE = "1.003560.000.00.00.H56"
AGENCY = "000.00.14.H56"
TABLES = "sync_procedure, sync_dossier, sync_change, sync_attempt, sync_inbound, sync_lease, outbox_message"


@pytest.fixture(scope="session")
def sync_db_url() -> Iterator[str]:
    with postgres_database("dvc_sync_national_test", MIGRATIONS) as url:
        yield url


@pytest.fixture
async def engine(sync_db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(sync_db_url, pool_size=2, max_overflow=2)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {TABLES}"))
    yield engine
    await engine.dispose()


@dataclass
class Harness:
    engine: AsyncEngine
    uow: UnitOfWork
    portal: PortalClient
    store: PortalStore
    control: httpx.AsyncClient
    settings: SyncNationalSettings
    outbox: Outbox = field(default_factory=lambda: Outbox(source="dvc-sync-national"))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    async def open(self, code: str) -> None:
        """The dossier's facts as intake and workflow publish them (procedure, submission, contact)."""
        async with self.uow() as session:
            await tracking.record_procedure(session, procedure())
            await tracking.record_submission(session, submission(code))
            await tracking.record_contact(
                session,
                DossierContactRegistered(
                    code=code, applicant_name="Lò Văn Chung", email=None, phone="0912345678"
                ),
            )

    async def record(
        self, changes: list[tuple[int, DossierStatusChanged]], *, event_ids: list[uuid.UUID] | None = None
    ) -> None:
        """`dossier.status_changed.v1` events (sequence, payload) as the subscriber hands them over."""
        for position, (sequence, changed) in enumerate(changes):
            event_id = event_ids[position] if event_ids else uuid.uuid4()
            async with self.uow() as session:
                await tracking.record_status(session, changed, event_id=event_id, sequence=sequence)

    async def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            return [dict(r._mapping) for r in await conn.execute(text(sql), params)]

    async def dossier(self, code: str) -> dict[str, Any]:
        return (await self.rows("SELECT * FROM sync_dossier WHERE code = :c", c=code))[0]

    async def events(self, routing_key: str) -> list[dict[str, Any]]:
        rows = await self.rows(
            "SELECT body FROM outbox_message WHERE routing_key = :k ORDER BY id", k=routing_key
        )
        return [(r["body"] if isinstance(r["body"], dict) else json.loads(r["body"]))["data"] for r in rows]

    def portal_statuses(self, code: str) -> tuple[list[int], list[int]]:
        """The statuses of the portal's record versions, and of its processing steps, in order."""
        record = self.store.get(code)
        assert record is not None, f"{code} is not on the portal"
        versions = [int(v["record"]["TrangThaiHoSo"]) for v in record["history"]]
        return versions, [int(s["step"]["TrangThai"]) for s in record["steps"]]


@pytest.fixture
async def sync(engine: AsyncEngine, sync_db_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    sandbox = create_sandbox(SandboxSettings(mail_dir=tmp_path))
    transport = httpx.ASGITransport(app=sandbox)
    portal = PortalClient("http://sandbox/national-portal", DEFAULT_PORTAL_API_KEY, 5, transport=transport)
    settings = SyncNationalSettings(
        database_url=SecretStr(sync_db_url), log_json=False, retry_base_seconds=60, retry_max_seconds=600
    )
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox/national-portal/_control"
    ) as control:
        yield Harness(engine, unit_of_work(engine), portal, sandbox.state.portal, control, settings)
    await portal.close()


def new_code() -> str:
    return f"{AGENCY}-260223-{uuid.uuid4().int % 10000:04d}"


def procedure() -> ProcedurePublished:
    return ProcedurePublished(
        code=PROCEDURE,
        name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        field_name="Hoạt động xây dựng",
        agency_id=AGENCY,
        agency_name="Sở Xây dựng tỉnh Lai Châu",
        processing_time=ProcessingTime(value=15, unit="working_days"),
        online_level="full",
        components=["Đơn đề nghị cấp giấy phép xây dựng"],
        revision="r1",
    )


def submission(code: str) -> DossierSubmitted:
    return DossierSubmitted(
        code=code,
        procedure_code=PROCEDURE,
        agency_id=AGENCY,
        channel=2,
        applicant_kind=1,
        submitted_at=datetime.now(UTC),
        files=[SubmittedFile(name="don.pdf", content_type="application/pdf", size=10, sha256="0" * 64)],
    )


def life(code: str, statuses: list[NationalStatus]) -> list[tuple[int, DossierStatusChanged]]:
    """What workflow publishes as the dossier moves through `statuses`: (sequence, payload)."""
    start = datetime.now(UTC)
    changes: list[tuple[int, DossierStatusChanged]] = []
    previous: NationalStatus | None = None
    for position, status in enumerate(statuses):
        acted = status in (NationalStatus.RECEIVED, NationalStatus.PROCESSING)
        changes.append(
            (
                position + 1,
                DossierStatusChanged(
                    code=code,
                    procedure_code=PROCEDURE,
                    agency_id=AGENCY,
                    status=status,
                    status_name=status.label_vi,
                    previous_status=previous,
                    changed_at=start + timedelta(minutes=position),
                    appointment_at=start + timedelta(days=3) if status is NationalStatus.RECEIVED else None,
                    step=ProcessingStep(officer_name="Trần Thị Bình", content=f"Bước {position}")
                    if acted
                    else None,
                ),
            )
        )
        previous = status
    return changes
