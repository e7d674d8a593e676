"""State of the national payment platform simulator (Nền tảng thanh toán trên Cổng DVC quốc gia).

It speaks the protocol of domain-rules §5 with the same checksums (`MaXacThuc`: SHA-256 of the
`|`-joined fields, then `|` and the partner's secret key): INIT answers a payment URL, the bank
page ends in a callback to the partner, QUERY tells a transaction's state, GET_BILL returns the
state-budget receipt signed by the bank (Ed25519, public key at `/payment-platform/keys`), and
SETTLEMENT lists the day's paid transactions for reconciliation.

A test chooses what the bank does with a transaction (`outcome`): success, failure, timeout (paid,
but the callback never arrives), duplicate_callback, mismatched_amount; and can take the platform
down or make it hang.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from dvc_common import clock

DEFAULT_PARTNER = "DVC_LAICHAU"
DEFAULT_SECRET = "dev-payment-secret"
VERSION = "1.0.6"
VN = timezone(timedelta(hours=7))
OUTCOMES = ("success", "failure", "timeout", "duplicate_callback", "mismatched_amount")

# Field order per message type, as the platform publishes it (the partner's domain/checksum.py
# carries the same table: the simulator keeps its own copy, as a real counterpart would).
FIELDS: dict[str, tuple[str, ...]] = {
    "INIT": ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "NgonNgu",
             "ThoiGianGD", "MaHoSo", "TaiKhoanThuHuong"),
    "INIT_RESPONSE": ("LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "UrlThanhToan"),
    "CALLBACK": ("LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich",
                 "MaNganHang", "ThoiGianGD", "ThongTinGiaoDich"),
    "QUERY": ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD"),
    "QUERY_RESPONSE": ("LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich",
                       "MaNganHang", "ThoiGianGD", "TrangThai"),
    "GET_BILL": ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "MaGiaoDich"),
    "SETTLEMENT": ("LoaiBanTin", "PhienBan", "MaDoiTac", "NgayDoiSoat"),
}  # fmt: skip

# MaLoi answers.
OK = ("00", "Thành công")
BAD_CHECKSUM = ("01", "Sai mã xác thực")
BAD_REQUEST = ("02", "Dữ liệu không hợp lệ")
CURRENCY = ("03", "Loại tiền không được hỗ trợ")
ALREADY_PAID = ("09", "Giao dịch đã được thanh toán")
NOT_FOUND = ("14", "Không tìm thấy giao dịch")
CANCELLED = ("24", "Khách hàng hủy giao dịch")
# TrangThai of QUERY.
PAID, PENDING, FAILED = "00", "01", "02"

Deliver = Callable[[str, dict[str, Any]], Awaitable[int]]


def checksum(kind: str, message: Mapping[str, Any], secret: str) -> str:
    values = ["" if message.get(n) is None else str(message.get(n)) for n in FIELDS[kind]]
    return hashlib.sha256(("|".join(values) + "|" + secret).encode()).hexdigest()


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


async def http_deliver(url: str, body: dict[str, Any]) -> int:
    async with httpx.AsyncClient(timeout=10) as client:
        return (await client.post(url, json=body)).status_code


@dataclass
class Transaction:
    partner: str
    reference: str  # MaThamChieu (the partner's)
    transaction_id: str  # MaGiaoDich (the platform's)
    amount: int
    dossier_code: str
    receipt_block: dict[str, Any]
    return_url: str | None
    notify_url: str | None
    created_at: datetime
    status: str = PENDING
    error: tuple[str, str] | None = None
    paid_amount: int | None = None
    paid_at: datetime | None = None
    bank_code: str = "VCB"
    callbacks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PaymentPlatformStore:
    partners: dict[str, str] = field(default_factory=lambda: {DEFAULT_PARTNER: DEFAULT_SECRET})
    base_url: str = ""
    down: bool = False
    hang_seconds: float = 0.0
    transactions: dict[tuple[str, str], Transaction] = field(default_factory=dict)
    deliver: Deliver = http_deliver
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    rejected: int = 0

    @property
    def public_key(self) -> str:
        raw = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def reset(self) -> None:
        self.transactions.clear()
        self.deliveries.clear()
        self.down = False
        self.hang_seconds = 0.0
        self.rejected = 0

    async def availability(self) -> bool:
        """False while the platform is down; sleeps first while it hangs."""
        if self.hang_seconds:
            await asyncio.sleep(self.hang_seconds)
        return not self.down

    def _answer(self, kind: str, partner: str, code: tuple[str, str], **fields: Any) -> dict[str, Any]:
        body = {"LoaiBanTin": kind.removesuffix("_RESPONSE"), "MaLoi": code[0], "MoTaLoi": code[1]}
        body |= {"MaDoiTac": partner, **fields}
        if kind in FIELDS:
            body["MaXacThuc"] = checksum(kind, body, self.partners.get(partner, ""))
        return body

    def _authentic(self, kind: str, body: dict[str, Any]) -> str | None:
        """The partner when the message's checksum is right."""
        partner = str(body.get("MaDoiTac", ""))
        secret = self.partners.get(partner)
        if secret is None or body.get("MaXacThuc") != checksum(kind, body, secret):
            self.rejected += 1
            return None
        return partner

    def init(self, body: dict[str, Any]) -> dict[str, Any]:
        partner = self._authentic("INIT", body)
        if partner is None:
            return self._answer("INIT_RESPONSE", str(body.get("MaDoiTac", "")), BAD_CHECKSUM)
        reference = str(body.get("MaThamChieu", ""))
        amount = body.get("SoTien")
        if body.get("MaTienTe") != "VND":
            return self._answer("INIT_RESPONSE", partner, CURRENCY, MaThamChieu=reference)
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0 or not reference:
            return self._answer("INIT_RESPONSE", partner, BAD_REQUEST, MaThamChieu=reference)
        existing = self.transactions.get((partner, reference))
        if existing is not None:
            if existing.status == PAID:
                return self._answer("INIT_RESPONSE", partner, ALREADY_PAID, MaThamChieu=reference)
            return self._answer(
                "INIT_RESPONSE", partner, OK, MaThamChieu=reference, UrlThanhToan=self.pay_url(existing)
            )
        block = body.get("ThongTinBienLai") or {}
        txn = Transaction(
            partner=partner,
            reference=reference,
            transaction_id=f"GD{secrets.randbelow(10**12):012d}",
            amount=amount,
            dossier_code=str(body.get("MaHoSo", "")),
            receipt_block=block if isinstance(block, dict) else {},
            return_url=body.get("UrlTraVe"),
            notify_url=body.get("UrlThongBao"),
            created_at=clock.now(),
        )
        self.transactions[(partner, reference)] = txn
        return self._answer(
            "INIT_RESPONSE", partner, OK, MaThamChieu=reference, UrlThanhToan=self.pay_url(txn)
        )

    def pay_url(self, txn: Transaction) -> str:
        return f"{self.base_url}/payment-platform/pay/{txn.transaction_id}"

    def by_transaction_id(self, transaction_id: str) -> Transaction | None:
        return next((t for t in self.transactions.values() if t.transaction_id == transaction_id), None)

    def by_reference(self, reference: str) -> Transaction | None:
        return next((t for t in self.transactions.values() if t.reference == reference), None)

    def callback_for(self, txn: Transaction) -> dict[str, Any]:
        code = OK if txn.status == PAID else (txn.error or CANCELLED)
        body = {
            "LoaiBanTin": "CALLBACK",
            "MaLoi": code[0],
            "MaDoiTac": txn.partner,
            "MaThamChieu": txn.reference,
            "SoTien": txn.paid_amount if txn.paid_amount is not None else txn.amount,
            "MaTienTe": "VND",
            "MaGiaoDich": txn.transaction_id,
            "MaNganHang": txn.bank_code,
            "ThoiGianGD": (txn.paid_at or clock.now()).astimezone(VN).strftime("%Y%m%d%H%M%S"),
            "ThongTinGiaoDich": f"Thanh toan ho so {txn.dossier_code}",
        }
        body["MaXacThuc"] = checksum("CALLBACK", body, self.partners[txn.partner])
        return body

    async def complete(self, txn: Transaction, outcome: str) -> dict[str, Any]:
        """The citizen finished at the bank: apply `outcome` and send the callback(s) it calls for."""
        if outcome not in OUTCOMES:
            raise ValueError(outcome)
        if txn.status == PENDING:
            if outcome == "failure":
                txn.status, txn.error = FAILED, CANCELLED
            else:
                txn.status, txn.paid_at = PAID, clock.now()
                txn.paid_amount = txn.amount - 1_000 if outcome == "mismatched_amount" else txn.amount
        callback = self.callback_for(txn)
        sends = {"timeout": 0, "duplicate_callback": 2}.get(outcome, 1)
        statuses = []
        for _ in range(sends):
            statuses.append(await self._send(txn, callback))
        return {"callback": callback, "delivered": statuses, "redirect": self.return_redirect(txn)}

    async def _send(self, txn: Transaction, callback: dict[str, Any]) -> int | None:
        if not txn.notify_url:
            return None
        try:
            status = await self.deliver(txn.notify_url, callback)
        except httpx.HTTPError:
            status = None
        self.deliveries.append({"reference": txn.reference, "status": status, "body": callback})
        txn.callbacks.append(callback)
        return status

    def return_redirect(self, txn: Transaction) -> str | None:
        if not txn.return_url:
            return None
        code = OK[0] if txn.status == PAID else (txn.error or CANCELLED)[0]
        sep = "&" if "?" in txn.return_url else "?"
        return f"{txn.return_url}{sep}MaThamChieu={txn.reference}&MaLoi={code}"

    def query(self, body: dict[str, Any]) -> dict[str, Any]:
        partner = self._authentic("QUERY", body)
        if partner is None:
            return self._answer("QUERY_RESPONSE", str(body.get("MaDoiTac", "")), BAD_CHECKSUM)
        txn = self.transactions.get((partner, str(body.get("MaThamChieu", ""))))
        if txn is None:
            return self._answer("QUERY_RESPONSE", partner, NOT_FOUND, MaThamChieu=body.get("MaThamChieu"))
        return self._answer(
            "QUERY_RESPONSE",
            partner,
            OK,
            MaThamChieu=txn.reference,
            SoTien=txn.paid_amount if txn.paid_amount is not None else txn.amount,
            MaTienTe="VND",
            MaGiaoDich=txn.transaction_id,
            MaNganHang=txn.bank_code,
            ThoiGianGD=txn.paid_at.astimezone(VN).strftime("%Y%m%d%H%M%S") if txn.paid_at else "",
            TrangThai=txn.status,
            MoTaTrangThai=(txn.error or ("", ""))[1] if txn.status == FAILED else "",
        )

    def bill(self, body: dict[str, Any]) -> dict[str, Any]:
        partner = self._authentic("GET_BILL", body)
        if partner is None:
            return {"LoaiBanTin": "GET_BILL", "MaLoi": BAD_CHECKSUM[0], "MoTaLoi": BAD_CHECKSUM[1]}
        txn = self.transactions.get((partner, str(body.get("MaThamChieu", ""))))
        if txn is None or txn.status != PAID or txn.transaction_id != body.get("MaGiaoDich"):
            return {"LoaiBanTin": "GET_BILL", "MaLoi": NOT_FOUND[0], "MoTaLoi": NOT_FOUND[1]}
        assert txn.paid_at is not None and txn.paid_amount is not None
        receipt = {
            "SoChungTu": f"CT{txn.transaction_id[2:]}",
            "KyHieu": "C1-10/NS",
            "MaThamChieu": txn.reference,
            "MaGiaoDich": txn.transaction_id,
            "MaHoSo": txn.dossier_code,
            "SoTien": txn.paid_amount,
            "MaTienTe": "VND",
            "NgayNop": txn.paid_at.astimezone(VN).isoformat(),
            "NganHang": txn.bank_code,
            "NoiDung": f"Nộp phí, lệ phí hồ sơ {txn.dossier_code}",
            "ThongTinBienLai": txn.receipt_block,
        }
        signature = base64.b64encode(self.key.sign(canonical(receipt))).decode()
        return {
            "LoaiBanTin": "GET_BILL",
            "MaLoi": OK[0],
            "MoTaLoi": OK[1],
            "BienLai": receipt,
            "ChuKy": signature,
        }

    def settlement(self, body: dict[str, Any]) -> dict[str, Any]:
        partner = self._authentic("SETTLEMENT", body)
        if partner is None:
            return {"LoaiBanTin": "SETTLEMENT", "MaLoi": BAD_CHECKSUM[0], "MoTaLoi": BAD_CHECKSUM[1]}
        day = str(body.get("NgayDoiSoat", ""))
        rows = [
            {
                "MaThamChieu": t.reference,
                "MaGiaoDich": t.transaction_id,
                "SoTien": t.paid_amount,
                "MaTienTe": "VND",
                "ThoiGianGD": t.paid_at.astimezone(VN).strftime("%Y%m%d%H%M%S"),
            }
            for t in self.transactions.values()
            if t.partner == partner and t.status == PAID and t.paid_at is not None
            and t.paid_at.astimezone(VN).strftime("%Y%m%d") == day
        ]  # fmt: skip
        return {"LoaiBanTin": "SETTLEMENT", "MaLoi": OK[0], "NgayDoiSoat": day, "GiaoDich": rows}
