"""Test support for qa: the app on a migrated PostgreSQL database, tokens signed by a local key
standing in for identity, agencies and procedures fed as the events identity and workflow publish."""

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

import dvc_qa
from dvc_common.consumers import EventMeta
from dvc_common.events import (
    AGENCY_UPSERTED,
    PROCEDURE_PUBLISHED,
    AgencyUpserted,
    CloudEvent,
    ProcedurePublished,
    ProcessingTime,
)
from dvc_devkit.identity import KeyRing as SharedKeyRing
from dvc_devkit.testing.infra import postgres_database
from dvc_qa.app import build
from dvc_qa.service.catalog import record_agency, record_procedure
from dvc_qa.settings import QaSettings

MIGRATIONS = Path(dvc_qa.__file__).parent / "migrations"
XAY_DUNG = "000.00.14.H56"  # Sở Xây dựng tỉnh Lai Châu
TU_PHAP = "000.00.03.H56"  # Sở Tư pháp
TAI_CHINH = "000.00.04.H56"  # Sở Tài chính
PROCEDURE = "1.003560.000.00.00.H56"

AGENCIES = {
    XAY_DUNG: "Sở Xây dựng tỉnh Lai Châu",
    TU_PHAP: "Sở Tư pháp tỉnh Lai Châu",
    TAI_CHINH: "Sở Tài chính tỉnh Lai Châu",
}

GOOD_TITLE = "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ"
GOOD_BODY = (
    "Gia đình tôi muốn xây nhà ở riêng lẻ ba tầng tại phường Đoàn Kết, thành phố Lai Châu. "
    "Xin hỏi hồ sơ đề nghị cấp giấy phép xây dựng gồm những giấy tờ gì và nộp ở đâu?"
)


@pytest.fixture(scope="session")
def qa_db_url() -> Iterator[str]:
    with postgres_database("dvc_qa_test", MIGRATIONS) as url:
        yield url


class KeyRing(SharedKeyRing):
    """The shared stand-in for identity; an officer is, unless told otherwise, the Q&A focal officer of
    Sở Xây dựng, with the name and position an answer must carry."""

    def officer(
        self,
        *roles: str,
        agency: str | None = XAY_DUNG,
        sub: str = "officer-1",
        name: str = "Trần Thị Hoa",
        position: str = "Chuyên viên Văn phòng Sở",
        **claims: Any,
    ) -> dict[str, str]:
        roles = roles or ("qa_focal_officer",)
        return super().officer(*roles, agency=agency, sub=sub, name=name, position=position, **claims)


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing()


def make_event(event_type: Any, payload: Any, subject: str) -> CloudEvent:
    return CloudEvent(
        id=uuid.uuid4(),
        type=event_type.ce_type,
        source="dvc-test",
        subject=subject,
        time=datetime.now(UTC),
        data=payload.model_dump(mode="json"),
        sequence=1,
        correlationid=subject,
    )


@dataclass
class Qa:
    app: FastAPI
    http: httpx.AsyncClient

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    async def sql(self, statement: str, **params: Any) -> list[dict[str, Any]]:
        async with self.runtime.engine.connect() as conn:
            return [dict(r._mapping) for r in await conn.execute(text(statement), params)]

    async def execute(self, statement: str, **params: Any) -> None:
        async with self.runtime.engine.begin() as conn:
            await conn.execute(text(statement), params)

    async def events(self, routing_key: str) -> list[dict[str, Any]]:
        rows = await self.sql(
            "SELECT exchange, body FROM outbox_message WHERE routing_key = :k ORDER BY id", k=routing_key
        )
        return [
            {
                "exchange": r["exchange"],
                **(r["body"] if isinstance(r["body"], dict) else json.loads(r["body"])),
            }
            for r in rows
        ]

    async def agency(self, agency_id: str, name: str, *, active: bool = True) -> None:
        event = make_event(
            AGENCY_UPSERTED,
            AgencyUpserted(
                agency_id=agency_id,
                name=name,
                level="department",
                parent_id="000.00.00.H56",
                active=active,
                updated_at=datetime.now(UTC),
            ),
            agency_id,
        )
        async with self.runtime.transaction() as session:
            await record_agency(session, EventMeta.of(event), AGENCY_UPSERTED.parse(event.data))

    async def procedure(self, code: str = PROCEDURE) -> None:
        event = make_event(
            PROCEDURE_PUBLISHED,
            ProcedurePublished(
                code=code,
                name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
                field_name="Hoạt động xây dựng",
                agency_id=XAY_DUNG,
                agency_name=AGENCIES[XAY_DUNG],
                processing_time=ProcessingTime(value=15, unit="working_days"),
                online_level="full",
                components=["Đơn đề nghị cấp giấy phép xây dựng"],
                revision="r1",
            ),
            code,
        )
        async with self.runtime.transaction() as session:
            await record_procedure(session, EventMeta.of(event), PROCEDURE_PUBLISHED.parse(event.data))

    async def ask(
        self,
        ring: KeyRing,
        *,
        title: str = GOOD_TITLE,
        body: str = GOOD_BODY,
        agency_id: str = XAY_DUNG,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> httpx.Response:
        return await self.http.post(
            "/api/v1/questions",
            json={"agency_id": agency_id, "title": title, "body": body, **extra},
            headers=ring.citizen() if headers is None else headers,
        )

    async def asked(self, ring: KeyRing, **kwargs: Any) -> str:
        response = await self.ask(ring, **kwargs)
        assert response.status_code == 201, response.text
        question_id: str = response.json()["id"]
        return question_id


@pytest.fixture
async def api(qa_db_url: str, ring: KeyRing) -> AsyncIterator[Qa]:
    app = build(QaSettings(database_url=SecretStr(qa_db_url), log_json=False, db_pool_size=2))
    app.state.token_verifier = ring.verifier()
    async with app.state.runtime.engine.begin() as conn:
        await conn.execute(
            text(
                "TRUNCATE qa_contribution, qa_question, qa_agency, qa_procedure, qa_faq, qa_lease,"
                " outbox_message, event_sequence, inbox_message"
            )
        )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://qa") as client:
        qa = Qa(app, client)
        for agency_id, name in AGENCIES.items():
            await qa.agency(agency_id, name)
        await qa.procedure()
        yield qa
    await app.state.runtime.engine.dispose()
