"""Workflow in-process against a real, migrated PostgreSQL database; tokens from the shared fake identity.

The app is driven over HTTP (ASGI transport) the way officers and citizens call it; events are read
back from the outbox table, where the use-cases put them in the same transaction as the state.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text

import dvc_workflow
from dvc_common.events import DossierSubmitted, OfficerUpserted, SubmittedFile
from dvc_devkit.identity import KeyRing
from dvc_devkit.testing.infra import postgres_database
from dvc_workflow import service
from dvc_workflow.app import build
from dvc_workflow.domain.catalog import load_catalog
from dvc_workflow.service import directory
from dvc_workflow.settings import SEED_CATALOG, WorkflowSettings

MIGRATIONS = Path(dvc_workflow.__file__).parent / "migrations"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AGENCY = "000.00.14.H56"  # Sở Xây dựng (the shared fake identity's default agency)
OTHER_AGENCY = "000.00.03.H56"  # Sở Tư pháp
BUILDING_PERMIT = "1.003560.000.00.00.H56"  # 15 working days, fee: process with a payment step
DRIVING_LICENCE = "1.004946.000.00.00.H56"  # 5 working days, fee


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture(scope="session")
def workflow_db_url() -> Iterator[str]:
    with postgres_database("dvc_workflow_test", MIGRATIONS) as url:
        yield url


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: local(2026, 3, 2, 9, 0))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Workflow:
    app: FastAPI
    client: httpx.AsyncClient
    keys: KeyRing
    clock: Clock
    db_url: str

    def headers(self, *roles: str, **kw: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys.token(*roles, **kw)}"}

    @property
    def one_stop(self) -> dict[str, str]:
        return self.headers("one_stop_officer", sub="mot-cua-1", name="Lò Văn Tâm")

    @property
    def leader(self) -> dict[str, str]:
        return self.headers(
            "department_head", "agency_leader", "processing_officer", sub="lanh-dao-1", name="Nguyễn Văn Bình"
        )

    async def submit(
        self,
        *,
        procedure: str = BUILDING_PERMIT,
        agency: str = AGENCY,
        at: datetime | None = None,
        owner: str | None = None,
        channel: int = 2,
    ) -> str:
        code = f"{agency}-260302-{uuid.uuid4().int % 10_000_000:07d}"
        payload = DossierSubmitted(
            code=code,
            procedure_code=procedure,
            agency_id=agency,
            channel=channel,
            applicant_kind=1,
            submitted_at=at or self.clock.now,
            files=[SubmittedFile(name="don.pdf", content_type="application/pdf", size=10, sha256="ab" * 32)],
            owner_subject=owner,
        )
        ctx: service.Context = self.app.state.workflow
        async with self.app.state.runtime.transaction() as session:
            await service.open_dossier(session, ctx, payload, correlation_id=code)
        return code

    async def officer(
        self,
        subject: str,
        name: str,
        *,
        agency: str = AGENCY,
        department: str | None = "qlxd",
        department_name: str | None = "Phòng Quản lý xây dựng",
        roles: tuple[str, ...] = ("processing_officer",),
        active: bool = True,
    ) -> None:
        """Identity's officer.upserted.v1 as workflow's consumer receives it."""
        upserted = OfficerUpserted(
            officer_id=subject,
            agency_id=agency,
            name=name,
            position="Chuyên viên",
            roles=list(roles),
            active=active,
            department=department,
            department_name=department_name,
            updated_at=self.clock.now,
        )
        async with self.app.state.runtime.transaction() as session:
            await directory.record_officer(session, upserted)

    async def act(self, code: str, action: str, headers: dict[str, str], **body: Any) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/dossiers/{code}/actions/{action}", json=body or None, headers=headers
        )

    async def ok(
        self, code: str, action: str, headers: dict[str, str] | None = None, **body: Any
    ) -> dict[str, Any]:
        response = await self.act(code, action, headers or self.leader_and_one_stop(), **body)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def leader_and_one_stop(self) -> dict[str, str]:
        return self.headers(
            "one_stop_officer",
            "processing_officer",
            "department_head",
            "agency_leader",
            sub="can-bo-1",
            name="Lò Văn Tâm",
        )

    async def events(self, routing_key: str, code: str | None = None) -> list[dict[str, Any]]:
        async with self.app.state.runtime.engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT body FROM outbox_message WHERE routing_key = :k ORDER BY id"), {"k": routing_key}
            )
            bodies = [r.body if isinstance(r.body, dict) else json.loads(r.body) for r in rows]
        return [b["data"] for b in bodies if code is None or b.get("subject") == code]

    async def sql(self, statement: str, **params: Any) -> Any:
        async with self.app.state.runtime.engine.begin() as conn:
            return await conn.execute(text(statement), params)


@pytest.fixture
async def workflow(workflow_db_url: str) -> AsyncIterator[Workflow]:
    clock = Clock()
    settings = WorkflowSettings(
        database_url=SecretStr(workflow_db_url), supervisor_enabled=False, db_pool_size=3, log_json=False
    )
    app = build(settings, clock=clock)
    keys = KeyRing()
    app.state.token_verifier = keys.verifier()
    runtime = app.state.runtime
    async with runtime.transaction() as session:
        await service.publish_catalog(session, runtime.outbox, load_catalog(SEED_CATALOG))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://workflow.test"
    ) as client:
        yield Workflow(app, client, keys, clock, workflow_db_url)
    await runtime.engine.dispose()
