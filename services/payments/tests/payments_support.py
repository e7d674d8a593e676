"""Test support for payments: a migrated PostgreSQL database, the sandbox's payment platform
simulator (its ASGI app, called over HTTP by the real client), and payments' use-cases wired as
app.py wires them. The simulator's callbacks reach payments' callback use-case."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

import dvc_payments
from dvc_common.db import unit_of_work
from dvc_common.events import (
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    CloudEvent,
    DossierStatusChanged,
    DossierSubmitted,
    NationalStatus,
    ProcedureAgency,
    ProcedurePublished,
    ProcessingTime,
)
from dvc_common.outbox import Outbox
from dvc_common.principal import Principal
from dvc_common.problems import Problem
from dvc_devkit.testing.infra import postgres_database
from dvc_payments.domain.fees import Fee
from dvc_payments.platform import PaymentPlatform, PlatformConfig
from dvc_payments.service import Payments
from dvc_sandbox.app import create_app as create_sandbox
from dvc_sandbox.payment_platform_store import DEFAULT_PARTNER, DEFAULT_SECRET, PaymentPlatformStore
from dvc_sandbox.settings import SandboxSettings

MIGRATIONS = Path(dvc_payments.__file__).parent / "migrations"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURE = "1.003560.000.00.00.H56"
AGENCY = "000.00.14.H56"
CITIZEN = Principal(subject="vneid:001190000123", kind="citizen", name="Nguyễn Văn An")


@pytest.fixture(scope="session")
def payments_db_url() -> Iterator[str]:
    with postgres_database("dvc_payments_test", MIGRATIONS) as url:
        yield url


TABLES = (
    "payments_fee_schedule, payments_beneficiary_account, payments_dossier, payments_request,"
    " payments_attempt, payments_receipt, payments_callback_log, payments_mismatch, payments_lease,"
    " payments_agency, payments_procedure_agency, payments_waiting_obligation,"
    " outbox_message, event_sequence, inbox_message"
)


@pytest.fixture
async def engine(payments_db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(payments_db_url, pool_size=2, max_overflow=2)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {TABLES}"))
    yield engine
    await engine.dispose()


@pytest.fixture
async def platform_sim(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, PaymentPlatformStore]]:
    app = create_sandbox(SandboxSettings(mail_dir=tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as client:
        yield client, app.state.payment_platform


@dataclass
class Harness:
    engine: AsyncEngine
    payments: Payments
    sim: httpx.AsyncClient
    store: PaymentPlatformStore
    callback_answers: list[int]

    async def waiting(self) -> list[dict[str, Any]]:
        """Obligations waiting for the agency's configuration (unresolved)."""
        return await self.rows(
            "SELECT * FROM payments_waiting_obligation WHERE resolved_at IS NULL ORDER BY id"
        )

    def transaction(self) -> Any:
        return unit_of_work(self.engine)()

    async def configure(
        self, *, fees: list[Fee] | None = None, postal_fee: int | None = 25_000, upfront: bool = False
    ) -> None:
        async with self.transaction() as session:
            await self.payments.set_fee_schedule(
                session,
                procedure_code=PROCEDURE,
                agency_id=AGENCY,
                lines=fees or [Fee("le_phi", "Lệ phí cấp giấy phép xây dựng", 150_000)],
                postal_fee=postal_fee,
                upfront=upfront,
                author="admin-1",
            )
            await self.payments.set_account(
                session,
                agency_id=AGENCY,
                account_number="3511.0.1234567",
                account_name="Sở Xây dựng tỉnh Lai Châu",
                bank_code="KBNN",
                bank_name="Kho bạc Nhà nước Lai Châu",
                author="admin-1",
            )

    async def obligation(self, code: str) -> str:
        """Deliver `dossier.status_changed.v1` (status 6) to the consumer's use-case; the payment id."""
        if not await self.rows("SELECT code FROM payments_dossier WHERE code = :c", c=code):
            async with self.transaction() as session:  # submitted online by CITIZEN, who pays
                await self.payments.record_submission(session, submission(code))
        async with self.transaction() as session:
            await self.payments.follow_status(
                session, status_change(code, NationalStatus.FINANCIAL_OBLIGATION)
            )
        requests = await self.rows("SELECT id FROM payments_request WHERE dossier_code = :c", c=code)
        return str(requests[0]["id"])

    async def complete(self, reference: str, outcome: str) -> dict[str, Any]:
        response = await self.sim.post(
            f"/payment-platform/_control/transactions/{reference}/complete", json={"outcome": outcome}
        )
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    async def outage(self, down: bool) -> None:
        (await self.sim.post("/payment-platform/_control/outage", json={"down": down})).raise_for_status()

    async def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            return [dict(r._mapping) for r in await conn.execute(text(sql), params)]

    async def request(self, payment_id: str) -> dict[str, Any]:
        return (await self.rows("SELECT * FROM payments_request WHERE id = :p", p=payment_id))[0]

    async def events(self, routing_key: str) -> list[dict[str, Any]]:
        rows = await self.rows(
            "SELECT body FROM outbox_message WHERE routing_key = :k ORDER BY id", k=routing_key
        )
        return [(r["body"] if isinstance(r["body"], dict) else json.loads(r["body"]))["data"] for r in rows]


def platform_for(
    sim: httpx.AsyncClient, *, secret: str = DEFAULT_SECRET, timeout: float = 5.0
) -> PaymentPlatform:
    config = PlatformConfig(
        "http://sandbox/payment-platform", DEFAULT_PARTNER, secret, timeout=timeout, tz=TZ
    )
    return PaymentPlatform(config, http=sim)


@pytest.fixture
async def payments(
    engine: AsyncEngine, platform_sim: tuple[httpx.AsyncClient, PaymentPlatformStore]
) -> Harness:
    sim, store = platform_sim
    payments = Payments(
        unit_of_work(engine),
        Outbox(source="dvc-payments"),
        platform_for(sim),
        public_url="http://payments",
        tz=TZ,
    )
    answers: list[int] = []

    async def deliver(url: str, body: dict[str, Any]) -> int:
        """The simulator's callback, as payments' route answers it."""
        assert url == "http://payments/api/v1/payments/callback"
        try:
            await payments.callback(body)
            status = 200
        except Problem as problem:
            status = problem.status
        answers.append(status)
        return status

    store.deliver = deliver
    harness = Harness(engine, payments, sim, store, answers)
    await harness.configure()
    return harness


def make_event(event_type: Any, payload: Any, subject: str) -> CloudEvent:
    return CloudEvent(
        id=uuid.uuid4(),
        type=event_type.ce_type,
        source="dvc-workflow",
        subject=subject,
        time=datetime.now(UTC),
        data=payload.model_dump(mode="json"),
        sequence=1,
        correlationid=subject,
    )


def status_change(code: str, status: NationalStatus) -> DossierStatusChanged:
    """What workflow publishes when the dossier reaches `status` (from processing)."""
    return DossierStatusChanged(
        code=code,
        procedure_code=PROCEDURE,
        agency_id=AGENCY,
        status=status,
        status_name=status.label_vi,
        previous_status=NationalStatus.PROCESSING,
        changed_at=datetime.now(UTC),
    )


def status_event(code: str, status: NationalStatus) -> CloudEvent:
    return make_event(DOSSIER_STATUS_CHANGED, status_change(code, status), code)


def submission_event(
    code: str, *, channel: Literal[1, 2, 3] = 2, owner: str | None = CITIZEN.subject
) -> CloudEvent:
    return make_event(DOSSIER_SUBMITTED, submission(code, channel=channel, owner=owner), code)


Delivery = Literal["online", "counter", "post"]


def submission(
    code: str,
    *,
    channel: Literal[1, 2, 3] = 2,
    owner: str | None = CITIZEN.subject,
    result_delivery: Delivery | None = None,
    agency_id: str = AGENCY,
) -> DossierSubmitted:
    """What intake publishes for a new dossier (submitted by `channel`, its result returned by
    `result_delivery`), owned by CITIZEN."""
    return DossierSubmitted(
        code=code,
        procedure_code=PROCEDURE,
        agency_id=agency_id,
        channel=channel,
        applicant_kind=1,
        submitted_at=datetime.now(UTC),
        files=[],
        owner_subject=owner,
        result_delivery=result_delivery,
    )


def published(agencies: list[ProcedureAgency] | None = None, revision: str = "r1") -> ProcedurePublished:
    """What workflow publishes for the procedure: its performing agencies, each with its fees (K1)."""
    return ProcedurePublished(
        code=PROCEDURE,
        name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        field_name="Hoạt động xây dựng",
        agency_id=AGENCY,
        agency_name="Sở Xây dựng tỉnh Lai Châu",
        processing_time=ProcessingTime(value=15, unit="working_days"),
        online_level="full",
        components=["Đơn đề nghị"],
        revision=revision,
        agencies=agencies
        if agencies is not None
        else [ProcedureAgency(agency_id=AGENCY, agency_name="Sở Xây dựng tỉnh Lai Châu")],
    )


def new_code() -> str:
    return f"{AGENCY}-260223-{uuid.uuid4().int % 10000:04d}"
