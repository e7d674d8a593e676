"""Client of the national payment platform: INIT, QUERY, GET_BILL, SETTLEMENT, the receipt key.

Every request carries its `MaXacThuc`; every answer that the protocol signs is verified before we
use it. Anything else (timeouts, 5xx, a wrong checksum) is `PlatformUnavailable`: we know nothing
new and change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from dvc_common import clock
from dvc_payments.domain import checksum

VERSION = "1.0.6"


class PlatformUnavailable(Exception):
    """The platform did not answer (in time, or trustworthily)."""


class PlatformRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class TransactionState:
    reference: str
    found: bool
    status: str  # "00" paid, "01" pending, "02" failed (TrangThai); "" when not found
    amount: int | None
    currency: str | None
    transaction_id: str | None
    bank_code: str | None
    paid_at: str | None
    error_message: str | None


@dataclass(frozen=True)
class PlatformConfig:
    url: str
    partner_code: str
    secret_key: str
    timeout: float = 10.0
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))


class PaymentPlatform:
    def __init__(self, config: PlatformConfig, http: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._http = http
        self._receipt_key: str | None = None

    def _stamp(self) -> str:
        return clock.now().astimezone(self.config.tz).strftime("%Y%m%d%H%M%S")

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = self.config.url.rstrip("/") + path
        try:
            if self._http is not None:
                response = await self._http.post(url, json=body, timeout=self.config.timeout)
            else:
                async with httpx.AsyncClient(timeout=self.config.timeout) as client:
                    response = await client.post(url, json=body)
        except httpx.HTTPError as exc:
            raise PlatformUnavailable(f"{path}: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise PlatformUnavailable(f"{path}: HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as exc:
            raise PlatformUnavailable(f"{path}: not JSON") from exc
        if not isinstance(answer, dict):
            raise PlatformUnavailable(f"{path}: not an object")
        return answer

    def init_message(
        self,
        *,
        reference: str,
        amount: int,
        dossier_code: str,
        receipt_block: dict[str, Any],
        account_number: str,
        return_url: str,
        notify_url: str,
    ) -> dict[str, Any]:
        message = {
            "LoaiBanTin": "INIT",
            "PhienBan": VERSION,
            "MaDoiTac": self.config.partner_code,
            "MaThamChieu": reference,
            "SoTien": amount,
            "MaTienTe": "VND",
            "NgonNgu": "vi",
            "ThoiGianGD": self._stamp(),
            "MaHoSo": dossier_code,
            "TaiKhoanThuHuong": account_number,
            "ThongTinBienLai": receipt_block,
            "UrlTraVe": return_url,
            "UrlThongBao": notify_url,
        }
        return checksum.signed("INIT", message, self.config.secret_key)

    async def init(self, message: dict[str, Any]) -> str:
        """The payment URL for the citizen; raises PlatformRefused / PlatformUnavailable."""
        answer = await self._post("/api/init", message)
        if not checksum.verify("INIT_RESPONSE", answer, self.config.secret_key):
            raise PlatformUnavailable("INIT answer with a wrong checksum")
        if answer.get("MaLoi") != "00":
            raise PlatformRefused(str(answer.get("MaLoi")), str(answer.get("MoTaLoi", "")))
        if answer.get("MaThamChieu") != message["MaThamChieu"] or not answer.get("UrlThanhToan"):
            raise PlatformUnavailable("INIT answer for another reference")
        return str(answer["UrlThanhToan"])

    async def query(self, reference: str) -> TransactionState:
        message = checksum.signed(
            "QUERY",
            {
                "LoaiBanTin": "QUERY",
                "PhienBan": VERSION,
                "MaDoiTac": self.config.partner_code,
                "MaThamChieu": reference,
                "ThoiGianGD": self._stamp(),
            },
            self.config.secret_key,
        )
        answer = await self._post("/api/query", message)
        if not checksum.verify("QUERY_RESPONSE", answer, self.config.secret_key):
            raise PlatformUnavailable("QUERY answer with a wrong checksum")
        if answer.get("MaLoi") == "14":
            return TransactionState(reference, False, "", None, None, None, None, None, None)
        if answer.get("MaLoi") != "00" or answer.get("MaThamChieu") != reference:
            raise PlatformUnavailable(f"QUERY refused: {answer.get('MaLoi')}")
        amount = answer.get("SoTien")
        return TransactionState(
            reference=reference,
            found=True,
            status=str(answer.get("TrangThai", "")),
            amount=amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
            currency=answer.get("MaTienTe"),
            transaction_id=answer.get("MaGiaoDich") or None,
            bank_code=answer.get("MaNganHang") or None,
            paid_at=answer.get("ThoiGianGD") or None,
            error_message=answer.get("MoTaTrangThai") or None,
        )

    async def bill(self, reference: str, transaction_id: str) -> tuple[dict[str, Any], str]:
        """The receipt and its signature (base64), unverified."""
        message = checksum.signed(
            "GET_BILL",
            {
                "LoaiBanTin": "GET_BILL",
                "PhienBan": VERSION,
                "MaDoiTac": self.config.partner_code,
                "MaThamChieu": reference,
                "MaGiaoDich": transaction_id,
            },
            self.config.secret_key,
        )
        answer = await self._post("/api/get-bill", message)
        receipt, signature = answer.get("BienLai"), answer.get("ChuKy")
        if answer.get("MaLoi") != "00" or not isinstance(receipt, dict) or not isinstance(signature, str):
            raise PlatformUnavailable(f"GET_BILL refused: {answer.get('MaLoi')}")
        return receipt, signature

    async def settlement(self, day: str) -> list[dict[str, Any]]:
        """The day's paid transactions (day as YYYYMMDD)."""
        message = checksum.signed(
            "SETTLEMENT",
            {
                "LoaiBanTin": "SETTLEMENT",
                "PhienBan": VERSION,
                "MaDoiTac": self.config.partner_code,
                "NgayDoiSoat": day,
            },
            self.config.secret_key,
        )
        answer = await self._post("/api/settlement", message)
        rows = answer.get("GiaoDich")
        if answer.get("MaLoi") != "00" or not isinstance(rows, list):
            raise PlatformUnavailable(f"SETTLEMENT refused: {answer.get('MaLoi')}")
        return [r for r in rows if isinstance(r, dict)]

    async def receipt_key(self) -> str:
        """The bank's receipt-signing public key, fetched once."""
        if self._receipt_key is None:
            url = self.config.url.rstrip("/") + "/keys"
            try:
                if self._http is not None:
                    response = await self._http.get(url, timeout=self.config.timeout)
                else:
                    async with httpx.AsyncClient(timeout=self.config.timeout) as client:
                        response = await client.get(url)
                response.raise_for_status()
                self._receipt_key = str(response.json()["public_key"])
            except (httpx.HTTPError, KeyError, ValueError) as exc:
                raise PlatformUnavailable("receipt key") from exc
        return self._receipt_key
