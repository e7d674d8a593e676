"""The national payment platform simulator: messages, checksums, outcomes, receipts, settlement."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dvc_sandbox.app import create_app
from dvc_sandbox.payment_platform_store import (
    DEFAULT_PARTNER,
    DEFAULT_SECRET,
    VN,
    PaymentPlatformStore,
    checksum,
)
from dvc_sandbox.settings import SandboxSettings


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, PaymentPlatformStore, list[Any]]]:
    app = create_app(SandboxSettings(mail_dir=tmp_path))
    store: PaymentPlatformStore = app.state.payment_platform
    sent: list[Any] = []

    async def deliver(url: str, body: dict[str, Any]) -> int:
        sent.append((url, body))
        return 200

    store.deliver = deliver
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as client:
        yield client, store, sent


def signed(kind: str, message: dict[str, Any], secret: str = DEFAULT_SECRET) -> dict[str, Any]:
    return {**message, "MaXacThuc": checksum(kind, message, secret)}


def init_message(reference: str, amount: int = 150000) -> dict[str, Any]:
    return signed(
        "INIT",
        {
            "LoaiBanTin": "INIT", "PhienBan": "1.0.6", "MaDoiTac": DEFAULT_PARTNER, "MaThamChieu": reference,
            "SoTien": amount, "MaTienTe": "VND", "NgonNgu": "vi", "ThoiGianGD": "20260223081500",
            "MaHoSo": "000.00.14.H56-260223-0001", "TaiKhoanThuHuong": "3511.0.1234567",
            "UrlTraVe": "http://dvc/return", "UrlThongBao": "http://dvc/callback",
        },
    )  # fmt: skip


def query_message(reference: str) -> dict[str, Any]:
    return signed(
        "QUERY",
        {"LoaiBanTin": "QUERY", "PhienBan": "1.0.6", "MaDoiTac": DEFAULT_PARTNER, "MaThamChieu": reference,
         "ThoiGianGD": "20260223081600"},
    )  # fmt: skip


async def test_init_checks_the_checksum_and_answers_a_signed_payment_url(sim: Any) -> None:
    client, _, _ = sim
    bad = await client.post("/payment-platform/api/init", json=init_message("R1") | {"SoTien": 1})
    assert bad.json()["MaLoi"] == "01"
    answer = (await client.post("/payment-platform/api/init", json=init_message("R1"))).json()
    assert answer["MaLoi"] == "00" and answer["UrlThanhToan"].startswith(
        "http://sandbox/payment-platform/pay/GD"
    )
    assert answer["MaXacThuc"] == checksum("INIT_RESPONSE", answer, DEFAULT_SECRET)
    floats = init_message("R2") | {"SoTien": 150000.0}
    floats["MaXacThuc"] = checksum("INIT", floats, DEFAULT_SECRET)
    assert (await client.post("/payment-platform/api/init", json=floats)).json()["MaLoi"] == "02"


@pytest.mark.parametrize(
    "outcome, callbacks, status, amount",
    [
        ("success", 1, "00", 150000),
        ("failure", 1, "02", 150000),
        ("timeout", 0, "00", 150000),
        ("duplicate_callback", 2, "00", 150000),
        ("mismatched_amount", 1, "00", 149000),
    ],
)
async def test_outcomes(sim: Any, outcome: str, callbacks: int, status: str, amount: int) -> None:
    client, _, sent = sim
    await client.post("/payment-platform/api/init", json=init_message("R1"))
    done = await client.post("/payment-platform/_control/transactions/R1/complete", json={"outcome": outcome})
    assert done.status_code == 200
    assert len(sent) == callbacks
    for url, body in sent:
        assert url == "http://dvc/callback" and body["MaXacThuc"] == checksum(
            "CALLBACK", body, DEFAULT_SECRET
        )
    state = (await client.post("/payment-platform/api/query", json=query_message("R1"))).json()
    assert (state["TrangThai"], state["SoTien"]) == (status, amount)
    assert state["MaXacThuc"] == checksum("QUERY_RESPONSE", state, DEFAULT_SECRET)


async def test_bill_is_signed_by_the_bank_and_settlement_lists_the_payment(sim: Any) -> None:
    client, store, _ = sim
    await client.post("/payment-platform/api/init", json=init_message("R1"))
    await client.post("/payment-platform/_control/transactions/R1/complete", json={"outcome": "success"})
    txn = store.by_reference("R1")
    bill_request = signed(
        "GET_BILL",
        {"LoaiBanTin": "GET_BILL", "PhienBan": "1.0.6", "MaDoiTac": DEFAULT_PARTNER, "MaThamChieu": "R1",
         "MaGiaoDich": txn.transaction_id},
    )  # fmt: skip
    bill = (await client.post("/payment-platform/api/get-bill", json=bill_request)).json()
    key = (await client.get("/payment-platform/keys")).json()["public_key"]
    canonical = json.dumps(
        bill["BienLai"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    Ed25519PublicKey.from_public_bytes(base64.b64decode(key)).verify(
        base64.b64decode(bill["ChuKy"]), canonical
    )
    day = txn.paid_at.astimezone(VN).strftime("%Y%m%d")
    listed = signed(
        "SETTLEMENT",
        {"LoaiBanTin": "SETTLEMENT", "PhienBan": "1.0.6", "MaDoiTac": DEFAULT_PARTNER, "NgayDoiSoat": day},
    )
    rows = (await client.post("/payment-platform/api/settlement", json=listed)).json()["GiaoDich"]
    assert [(r["MaThamChieu"], r["SoTien"]) for r in rows] == [("R1", 150000)]


async def test_outage_answers_503(sim: Any) -> None:
    client, _, _ = sim
    await client.post("/payment-platform/_control/outage", json={"down": True})
    assert (await client.post("/payment-platform/api/init", json=init_message("R1"))).status_code == 503
    await client.post("/payment-platform/_control/outage", json={"down": False})
    assert (await client.post("/payment-platform/api/init", json=init_message("R1"))).json()["MaLoi"] == "00"
