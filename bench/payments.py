"""Payments benchmark: payment requests handled per second through INIT and a verified callback
against the national payment platform simulator; MaXacThuc checksum verifications per second.

A migrated throwaway database, payments' own use-cases and the sandbox's simulator (its ASGI app,
called over HTTP by the real client, in this process). One payment = start (QUERY-free first INIT,
attempt rows) → bank outcome "success" → callback (checksum) → server-side QUERY → GET_BILL with
the receipt signature verified → payment.completed.v1 in the outbox. No broker.

    .venv/bin/python bench/payments.py [--count 300] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

import dvc_payments
from dvc_common.db import unit_of_work
from dvc_common.events import DossierSubmitted
from dvc_common.outbox import Outbox
from dvc_common.principal import Principal
from dvc_devkit.testing.infra import postgres_database
from dvc_payments.domain import checksum
from dvc_payments.domain.fees import Fee
from dvc_payments.platform import PaymentPlatform, PlatformConfig
from dvc_payments.service import Payments, payment_requests
from dvc_sandbox.app import create_app as create_sandbox
from dvc_sandbox.payment_platform_store import DEFAULT_PARTNER, DEFAULT_SECRET
from dvc_sandbox.settings import SandboxSettings

MIGRATIONS = Path(dvc_payments.__file__).parent / "migrations"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURE, AGENCY = "1.003560.000.00.00.H56", "000.00.14.H56"


def checksum_rate(seconds: float = 2.0) -> float:
    message = checksum.signed(
        "CALLBACK",
        {
            "LoaiBanTin": "CALLBACK", "MaLoi": "00", "MaDoiTac": DEFAULT_PARTNER, "MaThamChieu": "TT-260223-0A1B2C3D-1",
            "SoTien": 150000, "MaTienTe": "VND", "MaGiaoDich": "GD000000123456", "MaNganHang": "VCB",
            "ThoiGianGD": "20260223081500", "ThongTinGiaoDich": "Thanh toan ho so 000.00.14.H56-260223-0001",
        },
        DEFAULT_SECRET,
    )  # fmt: skip
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(1000):
            assert checksum.verify("CALLBACK", message, DEFAULT_SECRET)
        count += 1000
    return count / (time.perf_counter() - started)


def submitted(code: str, *, owner: str) -> DossierSubmitted:
    return DossierSubmitted(
        code=code, procedure_code=PROCEDURE, agency_id=AGENCY, channel=2, applicant_kind=1,
        submitted_at=datetime.now(UTC), files=[], owner_subject=owner,
    )  # fmt: skip


async def run(url: str, count: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_async_engine(url, pool_size=concurrency, max_overflow=2)
        uow = unit_of_work(engine)
        sandbox = create_sandbox(SandboxSettings(mail_dir=Path(tmp)))
        store = sandbox.state.payment_platform
        transport = httpx.ASGITransport(app=sandbox)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as sim:
            config = PlatformConfig("http://sandbox/payment-platform", DEFAULT_PARTNER, DEFAULT_SECRET, tz=TZ)
            payments = Payments(
                uow,
                Outbox(source="dvc-payments"),
                PaymentPlatform(config, http=sim),
                public_url="http://p",
                tz=TZ,
            )

            async def deliver(url: str, body: dict[str, Any]) -> int:
                await payments.callback(body)
                return 200

            store.deliver = deliver
            async with uow() as session:
                await payments.set_fee_schedule(
                    session, procedure_code=PROCEDURE, agency_id=AGENCY, lines=[Fee("le_phi", "Lệ phí", 150000)],
                    postal_fee=None, upfront=False, author="bench",
                )  # fmt: skip
                await payments.set_account(
                    session, agency_id=AGENCY, account_number="3511.0.1234567", account_name="Sở Xây dựng",
                    bank_code="KBNN", bank_name="Kho bạc", author="bench",
                )  # fmt: skip
            payer = Principal(subject="vneid:bench", kind="citizen")
            ids: list[str] = []
            for i in range(count):
                code = f"{AGENCY}-260223-{i:04d}"
                async with uow() as session:
                    # The citizen's own online dossier (only its owner may start its payment), then
                    # the obligation the status change to 6 would create.
                    await payments.record_submission(session, submitted(code, owner=payer.subject))
                    request = await payment_requests.create_request(
                        payments, session, code, PROCEDURE, AGENCY, "obligation"
                    )
                    assert request is not None
                    ids.append(request.id)
            queue: asyncio.Queue[str] = asyncio.Queue()
            for payment_id in ids:
                queue.put_nowait(payment_id)

            async def worker() -> None:
                while not queue.empty():
                    payment_id = queue.get_nowait()
                    started = await payments.start(payment_id, payer)
                    txn = store.by_reference(started["reference"])
                    await store.complete(txn, "success")

            started_at = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started_at
            async with engine.connect() as conn:
                paid = (
                    await conn.execute(text("SELECT count(*) FROM payments_request WHERE status = 'paid'"))
                ).scalar()
                completed = (
                    await conn.execute(
                        text("SELECT count(*) FROM outbox_message WHERE routing_key = 'payment.completed.v1'")
                    )
                ).scalar()
            assert paid == completed == count, (paid, completed)
        await engine.dispose()
    print(f"payments: {count} payments (INIT → callback → QUERY → GET_BILL + signature → completed) "
          f"in {elapsed:.2f} s with {concurrency} concurrent citizens: {count / elapsed:.1f} payments/s")  # fmt: skip
    print(
        f"checksum: {checksum_rate():,.0f} MaXacThuc verifications/s (SHA-256, constant-time compare, one core)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with postgres_database("dvc_payments_bench", MIGRATIONS) as url:
        asyncio.run(run(url, args.count, args.concurrency))


if __name__ == "__main__":
    main()
