"""The payments service as built by app.py, on a real RabbitMQ vhost: a real `dossier.status_changed.v1`
(status 6) becomes a payment request; the agency configures fees, the citizen pays through the
simulator's bank page and comes back; `payment.completed.v1` reaches the broker for workflow."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import aio_pika
import httpx
import pytest
from payments_support import (
    AGENCY,
    PROCEDURE,
    make_event,
    new_code,
    published,
    status_event,
    submission_event,
)
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from dvc_common.events import INTERNAL_EXCHANGE, PROCEDURE_PUBLISHED, NationalStatus, ProcedureAgency
from dvc_common.relay import AmqpPublisher, OutgoingMessage
from dvc_devkit.identity import KeyRing, bearer
from dvc_devkit.testing.infra import rabbitmq_vhost
from dvc_payments.app import build
from dvc_payments.settings import PaymentsSettings
from dvc_sandbox.payment_platform_store import PaymentPlatformStore

CITIZEN_SUBJECT = "vneid:001190000123"
CENTRE = "000.01.01.H56"  # Trung tâm Phục vụ hành chính công tỉnh: receives the departments' dossiers


@pytest.fixture(scope="module")
def vhost_url() -> Iterator[str]:
    with rabbitmq_vhost("dvc-payments-test") as vhost:
        yield vhost.url


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing()


class Tap:
    """An integrator's queue bound to `payment.#` on the public exchange."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    async def wait(self, routing_key: str, *, count: int = 1, within: float = 15) -> list[dict[str, Any]]:
        deadline = asyncio.get_running_loop().time() + within
        while asyncio.get_running_loop().time() < deadline:
            found = [e for e in self.events if e["type"] == f"vn.dvc.{routing_key}"]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {routing_key} on the broker")


@pytest.fixture
async def service(
    engine: AsyncEngine,
    payments_db_url: str,
    vhost_url: str,
    ring: KeyRing,
    platform_sim: tuple[httpx.AsyncClient, PaymentPlatformStore],
) -> AsyncIterator[tuple[httpx.AsyncClient, Tap]]:
    sim, store = platform_sim
    settings = PaymentsSettings(
        database_url=SecretStr(payments_db_url),
        amqp_url=SecretStr(vhost_url),
        db_pool_size=2,
        log_json=False,
        platform_url="http://sandbox/payment-platform",
        public_url="http://payments",
        reconcile_interval_seconds=3600,
    )
    app = build(settings)
    app.state.token_verifier = ring.verifier()
    app.state.payments.platform._http = sim
    async with app.router.lifespan_context(app):
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://payments")

        async def deliver(url: str, body: dict[str, Any]) -> int:
            return (await client.post(urlsplit(url).path, json=body)).status_code

        store.deliver = deliver
        connection = await aio_pika.connect(vhost_url)
        channel = await connection.channel()
        exchange = await channel.get_exchange(INTERNAL_EXCHANGE)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, "payment.#")
        tap = Tap()

        async def record(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                tap.events.append(json.loads(message.body))

        await queue.consume(record)
        await catalog_published(vhost_url, engine)
        try:
            yield client, tap
        finally:
            await connection.close()
            await client.aclose()


async def catalog_published(vhost_url: str, engine: AsyncEngine) -> None:
    """workflow's procedure.published.v1 (the procedure's performing agencies) has reached payments."""
    await publish(vhost_url, make_event(PROCEDURE_PUBLISHED, published(), PROCEDURE))
    deadline = asyncio.get_running_loop().time() + 15
    while asyncio.get_running_loop().time() < deadline:
        async with engine.connect() as conn:
            if (await conn.execute(text("SELECT 1 FROM payments_procedure_agency"))).first():
                return
        await asyncio.sleep(0.05)
    raise AssertionError("procedure.published.v1 not recorded")


async def publish(vhost_url: str, event: Any) -> None:
    publisher = AmqpPublisher(vhost_url)
    try:
        result = await publisher.publish_batch(
            [
                OutgoingMessage(
                    INTERNAL_EXCHANGE, event.routing_key, event.model_dump_json().encode(), str(event.id), {}
                )
            ]
        )
        assert result.confirmed == 1, result
    finally:
        await publisher.close()


async def listed_for(api: httpx.AsyncClient, code: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """The dossier's payments as `headers` sees them, once payments has the submission too."""
    deadline = asyncio.get_running_loop().time() + 15
    while asyncio.get_running_loop().time() < deadline:
        found: list[dict[str, Any]] = (
            await api.get("/api/v1/payments", params={"dossier_code": code}, headers=headers)
        ).json()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"no payment of {code} visible")


async def configure(api: httpx.AsyncClient, ring: KeyRing) -> None:
    admin = bearer(ring.token("agency_admin"))
    fees = {"fees": [{"kind": "le_phi", "name": "Lệ phí cấp giấy phép xây dựng", "amount": 150000}]}
    response = await api.put(f"/api/v1/fee-schedules/{PROCEDURE}/{AGENCY}", json=fees, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1
    account = {
        "account_number": "3511.0.1234567",
        "account_name": "Sở Xây dựng tỉnh Lai Châu",
        "bank_code": "KBNN",
        "bank_name": "Kho bạc Nhà nước Lai Châu",
    }
    assert (
        await api.put(f"/api/v1/beneficiary-accounts/{AGENCY}", json=account, headers=admin)
    ).status_code == 200


async def test_agency_configures_its_own_fees_only(
    service: tuple[httpx.AsyncClient, Tap], ring: KeyRing
) -> None:
    api, _ = service
    fees = {"fees": [{"kind": "phi", "name": "Phí thẩm định", "amount": 50000}]}
    url = f"/api/v1/fee-schedules/{PROCEDURE}/{AGENCY}"
    assert (await api.put(url, json=fees)).status_code == 401
    assert (await api.put(url, json=fees, headers=ring.citizen())).status_code == 403
    other = bearer(ring.token("agency_admin", agency="000.00.15.H56"))
    assert (await api.put(url, json=fees, headers=other)).status_code == 403
    for amount in (50000.5, 50000.0, "50000"):
        floats = {"fees": [{"kind": "phi", "name": "Phí", "amount": amount}]}
        assert (
            await api.put(url, json=floats, headers=bearer(ring.token("agency_admin")))
        ).status_code == 422
    await configure(api, ring)
    changed = await api.put(url, json=fees, headers=bearer(ring.token("provincial_operator")))
    assert changed.json()["version"] == 2
    versions = (await api.get(url)).json()
    assert [v["version"] for v in versions] == [2, 1]


async def test_status_6_event_to_paid_dossier_through_the_service(
    service: tuple[httpx.AsyncClient, Tap], ring: KeyRing, vhost_url: str
) -> None:
    api, tap = service
    await configure(api, ring)
    code = new_code()
    await publish(vhost_url, submission_event(code))  # online, by CITIZEN_SUBJECT: the payer
    await publish(vhost_url, status_event(code, NationalStatus.FINANCIAL_OBLIGATION))
    (requested,) = await tap.wait("payment.requested.v1")
    assert requested["subject"] == code and requested["data"]["amount"] == 150000

    citizen = ring.citizen(CITIZEN_SUBJECT)
    (listed,) = await listed_for(api, code, citizen)
    assert listed["status_text"] == "Chờ thanh toán" and listed["amount"] == 150000
    officer = bearer(ring.token("one_stop_officer"))
    assert (
        await api.post(f"/api/v1/payments/{listed['payment_id']}/start", headers=officer)
    ).status_code == 403
    started = await api.post(f"/api/v1/payments/{listed['payment_id']}/start", headers=citizen)
    assert started.status_code == 200, started.text

    # The citizen pays on the bank's page and is sent back; the redirect's parameters are not trusted.
    sim: httpx.AsyncClient = api._transport.app.state.payments.platform._http  # type: ignore[attr-defined]
    bank = await sim.get(urlsplit(started.json()["pay_url"]).path, params={"outcome": "success"})
    assert bank.status_code == 303
    back = urlsplit(bank.headers["location"])
    shown = await api.get(f"{back.path}?{back.query}")
    assert shown.status_code == 200
    # Anonymously (the browser's redirect carries no token): the verdict, no payment details.
    assert shown.json()["verdict"] in ("paid", "already_paid")  # the callback may have come first
    assert shown.json()["message"].startswith("Thanh toán thành công") and shown.json()["payment"] is None
    mine = (await api.get(f"{back.path}?{back.query}", headers=citizen)).json()
    assert mine["payment"]["status"] == "paid" and mine["payment"]["dossier_code"] == code

    (completed,) = await tap.wait("payment.completed.v1")
    assert completed["subject"] == code and completed["data"]["amount"] == 150000
    receipt = await api.get(f"/api/v1/payments/{listed['payment_id']}/receipt", headers=citizen)
    assert receipt.status_code == 200 and receipt.json()["document"]["MaHoSo"] == code
    stranger = ring.citizen("vneid:999")
    assert (
        await api.get(f"/api/v1/payments/{listed['payment_id']}/receipt", headers=stranger)
    ).status_code == 403
    # The shared read-access policy: the handling agency and auditors read it, another agency not.
    receipt_url = f"/api/v1/payments/{listed['payment_id']}/receipt"
    for reader, status in (
        (ring.token("processing_officer"), 200),
        (ring.token("auditor", agency="000.00.99.H56"), 200),
        (ring.token("processing_officer", agency="000.00.99.H56"), 403),
    ):
        assert (await api.get(receipt_url, headers=bearer(reader))).status_code == status
    again = await api.post(f"/api/v1/payments/{listed['payment_id']}/start", headers=citizen)
    assert again.status_code == 409 and again.json()["title"] == "Khoản phí này đã được thanh toán"

    # The accountant's reconciliation finds everything in order.
    assert (await api.post("/api/v1/reconciliation/run", headers=citizen)).status_code == 403
    report = await api.post("/api/v1/reconciliation/run", headers=bearer(ring.token("auditor")))
    assert report.status_code == 200 and report.json()["mismatches"] == []


async def test_forged_callback_over_http_is_refused(service: tuple[httpx.AsyncClient, Tap]) -> None:
    api, _ = service
    response = await api.post("/api/v1/payments/callback", json={"LoaiBanTin": "CALLBACK", "MaXacThuc": "00"})
    assert response.status_code == 400 and response.json()["title"] == "Sai mã xác thực"


async def test_accountant_sees_and_resolves_an_amount_mismatch(
    service: tuple[httpx.AsyncClient, Tap], ring: KeyRing, vhost_url: str
) -> None:
    api, tap = service
    await configure(api, ring)
    code = new_code()
    await publish(vhost_url, submission_event(code))  # online, by CITIZEN_SUBJECT: the payer
    await publish(vhost_url, status_event(code, NationalStatus.FINANCIAL_OBLIGATION))
    await tap.wait("payment.requested.v1")
    citizen = ring.citizen(CITIZEN_SUBJECT)
    (listed,) = await listed_for(api, code, citizen)
    started = (await api.post(f"/api/v1/payments/{listed['payment_id']}/start", headers=citizen)).json()
    sim: httpx.AsyncClient = api._transport.app.state.payments.platform._http  # type: ignore[attr-defined]
    bank = await sim.get(urlsplit(started["pay_url"]).path, params={"outcome": "mismatched_amount"})
    back = urlsplit(bank.headers["location"])
    shown = (await api.get(f"{back.path}?{back.query}", headers=citizen)).json()
    assert shown["payment"]["status"] == "awaiting" and "không khớp" in shown["message"]
    (event,) = await tap.wait("payment.mismatch.v1")
    assert event["data"]["kind"] == "amount_mismatch"

    accountant = bearer(ring.token("auditor"))
    (mismatch,) = (await api.get("/api/v1/reconciliation/mismatches", headers=accountant)).json()
    assert (mismatch["expected_amount"], mismatch["settled_amount"]) == (150000, 149000)
    done = await api.post(
        f"/api/v1/reconciliation/mismatches/{mismatch['id']}/resolve",
        json={"resolution": "Đã hoàn trả 149.000 đồng cho người nộp"},
        headers=accountant,
    )
    assert done.status_code == 200 and done.json()["resolved_by"] == "officer-1"
    assert (await api.get("/api/v1/reconciliation/mismatches", headers=accountant)).json() == []
    everything = await api.get("/api/v1/reconciliation/mismatches?include_resolved=true", headers=accountant)
    assert len(everything.json()) == 1


@pytest.mark.parametrize(
    "body",
    [
        b'{"SoTien": 1.5}',
        b"true",
        b"1e309",
        b'{"SoTien": 1e309}',
        b"NaN",
        b'{"SoTien": NaN}',
        b'{"LoaiBanTin": "CALLBACK", "MaThamChieu": "TT-1\\u0000", "MaXacThuc": "00"}',
        b'{"LoaiBanTin": "CALLBACK\x00"}',
        b'{"a": ' * 10_000 + b"1" + b"}" * 10_000,
        b"[" * 10_000 + b"]" * 10_000,
        b'{"MaThamChieu": {"nested": true}, "MaXacThuc": "00"}',
        b'{"SoTien": true, "MaXacThuc": "00"}',
    ],
    ids=lambda b: b[:24].decode(errors="replace"),
)
async def test_malformed_callbacks_are_400_problems_never_500(
    service: tuple[httpx.AsyncClient, Tap], body: bytes
) -> None:
    api, _ = service
    response = await api.post(
        "/api/v1/payments/callback", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"]  # in Vietnamese, e.g. "Thông điệp không hợp lệ"


async def centre_receives(vhost_url: str, engine: AsyncEngine) -> None:
    """workflow's procedure.published.v1 now names the service centre as the department's receiving desk."""
    agencies = [
        ProcedureAgency(agency_id=AGENCY, agency_name="Sở Xây dựng tỉnh Lai Châu", receiving_agency_id=CENTRE)
    ]
    await publish(vhost_url, make_event(PROCEDURE_PUBLISHED, published(agencies, revision="r2"), PROCEDURE))
    deadline = asyncio.get_running_loop().time() + 15
    while asyncio.get_running_loop().time() < deadline:
        async with engine.connect() as conn:
            found = await conn.execute(
                text("SELECT receiving_agency_id FROM payments_procedure_agency WHERE agency_id = :a"),
                {"a": AGENCY},
            )
            if found.scalar() == CENTRE:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the receiving agency of procedure.published.v1 not recorded")


async def test_the_service_centres_one_stop_officer_records_a_departments_counter_payment(
    service: tuple[httpx.AsyncClient, Tap], ring: KeyRing, vhost_url: str, engine: AsyncEngine
) -> None:
    """Issue 15: the provincial service centre receives the department's dossiers, so its one-stop
    officer takes the fees at the counter; a one-stop officer of an unrelated agency still may not."""
    api, tap = service
    await configure(api, ring)
    code = new_code()
    await publish(vhost_url, submission_event(code))
    await publish(vhost_url, status_event(code, NationalStatus.FINANCIAL_OBLIGATION))
    await tap.wait("payment.requested.v1")
    citizen = ring.citizen(CITIZEN_SUBJECT)
    (listed,) = await listed_for(api, code, citizen)
    counter = f"/api/v1/payments/{listed['payment_id']}/counter"
    centre_desk = bearer(ring.token("one_stop_officer", sub="centre-desk", agency=CENTRE, name="Lò Thị Thu"))
    # While the catalog names no receiving desk, the centre's officer does not even see the payment.
    before = await api.post(counter, json={"method": "cash"}, headers=centre_desk)
    assert before.status_code == 404, before.text

    await centre_receives(vhost_url, engine)
    unrelated = "000.00.15.H56"
    for token, status, title in (
        # An unrelated agency's one-stop officer: not even seen (no existence oracle).
        (
            ring.token("one_stop_officer", sub="other-desk", agency=unrelated),
            404,
            "Không tìm thấy khoản thanh toán",
        ),
        # One who also reads province-wide sees it but takes no money for it.
        (
            ring.token("one_stop_officer", "auditor", sub="other-reader", agency=unrelated),
            403,
            "Không có quyền",
        ),
        # The centre's officers other than its one-stop desk take no money.
        (ring.token("processing_officer", sub="centre-clerk", agency=CENTRE), 403, "Không có quyền"),
    ):
        refused = await api.post(counter, json={"method": "cash"}, headers=bearer(token))
        assert refused.status_code == status, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["title"] == title
    other_reader = bearer(ring.token("one_stop_officer", "auditor", sub="other-reader", agency=unrelated))
    detail = (await api.post(counter, json={"method": "card"}, headers=other_reader)).json()["detail"]
    assert detail == (
        "Chỉ cán bộ Bộ phận Một cửa của cơ quan giải quyết hoặc cơ quan tiếp nhận hồ sơ được ghi nhận "
        "khoản thu tại quầy."
    )
    assert not [e for e in tap.events if e["type"] == "vn.dvc.payment.completed.v1"]

    paid = await api.post(counter, json={"method": "cash"}, headers=centre_desk)
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "paid" and paid.json()["agency_id"] == AGENCY
    (completed,) = await tap.wait("payment.completed.v1")
    assert completed["subject"] == code and completed["data"]["method"] == "cash"
    # The department's receipt reaches the dossier's owner, the centre's officer as the collector.
    receipt = await api.get(f"/api/v1/payments/{listed['payment_id']}/receipt", headers=citizen)
    assert receipt.status_code == 200, receipt.text
    document = receipt.json()["document"]
    assert document["MaHoSo"] == code and document["SoTien"] == 150000
    assert document["HinhThucNop"] == "Tiền mặt" and document["NguoiThu"] == "Lò Thị Thu"
    async with engine.connect() as conn:
        collected = await conn.execute(
            text("SELECT method, collected_by FROM payments_request WHERE id = :p"),
            {"p": listed["payment_id"]},
        )
        assert tuple(collected.one()) == ("cash", "centre-desk")
    again = await api.post(counter, json={"method": "cash"}, headers=centre_desk)
    assert again.status_code == 409
