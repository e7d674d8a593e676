"""Payments' use-cases.

Steps that talk to the national payment platform run outside database transactions; each database
step is its own unit of work (`uow`) and re-checks state under a row lock, so a repeated callback,
a concurrent QUERY or a second INIT for a paid request changes nothing.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.auth import Principal
from dvc_common.broker import PermanentFailure
from dvc_common.db import UnitOfWork
from dvc_common.events import (
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_REQUESTED,
    PROCEDURE_PUBLISHED,
    CloudEvent,
    FeeLine,
    PaymentCompleted,
    PaymentFailed,
    PaymentRequested,
)
from dvc_common.events.catalog import (
    PAYMENT_MISMATCH,
    PAYMENT_RECEIPT_ISSUED,
    PaymentMismatch,
    PaymentReceiptIssued,
)
from dvc_common.outbox import Outbox
from dvc_common.problems import Problem
from dvc_payments.domain import checksum, fees, receipts
from dvc_payments.models import (
    BeneficiaryAccount,
    Dossier,
    FeeSchedule,
    Mismatch,
    PaymentAttempt,
    PaymentRequest,
    Receipt,
)
from dvc_payments.platform import PaymentPlatform, PlatformRefused, PlatformUnavailable, TransactionState
from dvc_payments.repository import PaymentsRepository

log = logging.getLogger(__name__)

AWAITING_FINANCIAL_OBLIGATION = 6
CATALOG_AUTHOR = "danh-muc:"  # schedules taken from procedure.published, not configured by the agency
PAID, PENDING, FAILED = "00", "01", "02"

STATUS_TEXT = {
    "awaiting": "Chờ thanh toán",
    "verified": "Đã xác nhận thanh toán, đang nhận chứng từ nộp ngân sách",
    "paid": "Đã thanh toán",
    "cancelled": "Đã hủy: hồ sơ đã rút hoặc dừng xử lý, không thu phí",
}
CANCELLING_STATUSES = (7, 8)  # withdrawn, processing stopped


def now() -> datetime:
    return datetime.now(UTC)


def new_payment_id(at: datetime, tz: ZoneInfo) -> str:
    return f"TT-{at.astimezone(tz):%y%m%d}-{secrets.token_hex(4).upper()}"


def unavailable() -> Problem:
    return Problem(
        503,
        "payment-platform-unavailable",
        "Nền tảng thanh toán tạm thời không phản hồi",
        "Chưa có khoản tiền nào bị trừ từ giao dịch này. Vui lòng thử lại sau ít phút.",
        headers={"Retry-After": "30"},
    )


@dataclass(frozen=True)
class Outcome:
    """What one verification did, for the caller and the tests."""

    reference: str
    verdict: str  # paid | already_paid | duplicate | pending | failed | amount_mismatch | not_found
    payment_id: str | None = None


class Payments:
    def __init__(
        self, uow: UnitOfWork, outbox: Outbox, platform: PaymentPlatform, *, public_url: str, tz: ZoneInfo
    ) -> None:
        self.uow = uow
        self.outbox = outbox
        self.platform = platform
        self.public_url = public_url.rstrip("/")
        self.tz = tz

    # ================================================================ configuration (agency)

    async def set_fee_schedule(
        self,
        session: AsyncSession,
        *,
        procedure_code: str,
        agency_id: str,
        lines: list[fees.Fee],
        postal_fee: int | None,
        upfront: bool,
        author: str,
    ) -> FeeSchedule:
        schedule = FeeSchedule(
            procedure_code=procedure_code,
            agency_id=agency_id,
            version=0,
            fees=[{"kind": f.kind, "name": f.name, "amount": f.amount} for f in lines],
            postal_fee=postal_fee,
            upfront=upfront,
            author=author,
            created_at=now(),
        )
        return await PaymentsRepository(session).add_fee_schedule(schedule)

    async def set_account(
        self,
        session: AsyncSession,
        *,
        agency_id: str,
        account_number: str,
        account_name: str,
        bank_code: str,
        bank_name: str,
        author: str,
    ) -> BeneficiaryAccount:
        account = BeneficiaryAccount(
            agency_id=agency_id,
            version=0,
            account_number=account_number,
            account_name=account_name,
            bank_code=bank_code,
            bank_name=bank_name,
            author=author,
            created_at=now(),
        )
        return await PaymentsRepository(session).add_account(account)

    async def on_procedure_published(self, session: AsyncSession, event: CloudEvent) -> None:
        """The catalog's legal fees become the schedule until the agency configures its own."""
        data = PROCEDURE_PUBLISHED.parse(event.data)
        if not data.fees:
            return
        repo = PaymentsRepository(session)
        latest = await repo.fee_schedule(data.code, data.agency_id)
        catalog = [fees.Fee(f.kind, f.name, f.amount) for f in data.fees if f.kind != "buu_chinh"]
        lines = [{"kind": f.kind, "name": f.name, "amount": f.amount} for f in catalog]
        if latest is not None and (not latest.author.startswith(CATALOG_AUTHOR) or latest.fees == lines):
            return  # the agency's own configuration wins (Điện Biên Điều 8.4); or nothing changed
        await self.set_fee_schedule(
            session,
            procedure_code=data.code,
            agency_id=data.agency_id,
            lines=catalog,
            postal_fee=latest.postal_fee if latest else None,
            upfront=latest.upfront if latest else False,
            author=f"{CATALOG_AUTHOR}{data.revision}",
        )

    # ================================================================ requests from dossier events

    async def on_dossier_submitted(self, session: AsyncSession, event: CloudEvent) -> None:
        data = DOSSIER_SUBMITTED.parse(event.data)
        repo = PaymentsRepository(session)
        await repo.save_dossier(
            Dossier(
                code=data.code,
                procedure_code=data.procedure_code,
                agency_id=data.agency_id,
                channel=data.channel,
                submitted_at=data.submitted_at,
            )
        )
        schedule = await repo.fee_schedule(data.procedure_code, data.agency_id)
        if schedule is not None and schedule.upfront:
            await self._create_request(session, data.code, data.procedure_code, data.agency_id, "upfront")

    async def on_status_changed(self, session: AsyncSession, event: CloudEvent) -> None:
        data = DOSSIER_STATUS_CHANGED.parse(event.data)
        if data.status in CANCELLING_STATUSES:
            await self._cancel_requests(session, data.code)
            return
        if data.status != AWAITING_FINANCIAL_OBLIGATION:
            return
        await self._create_request(session, data.code, data.procedure_code, data.agency_id, "obligation")

    async def _cancel_requests(self, session: AsyncSession, dossier_code: str) -> None:
        """A withdrawn or stopped dossier owes nothing more: its unpaid requests are cancelled."""
        repo = PaymentsRepository(session)
        for request in await repo.requests_of_dossier(dossier_code):
            locked = await repo.request(request.id, lock=True)
            if locked is not None and locked.status == "awaiting":
                locked.status, locked.updated_at = "cancelled", now()
                session.add(locked)

    async def _create_request(
        self, session: AsyncSession, dossier_code: str, procedure_code: str, agency_id: str, stage: str
    ) -> PaymentRequest | None:
        repo = PaymentsRepository(session)
        schedule = await repo.fee_schedule(procedure_code, agency_id)
        account = await repo.account(agency_id)
        if schedule is None or account is None:
            # The dossier would wait for ever: dead-letter it where operators see it; once the
            # agency configures fees and account, `dvc dlq replay payments.dossier-events`.
            missing = "fee schedule" if schedule is None else "beneficiary account"
            raise PermanentFailure(f"no {missing} for {procedure_code} at {agency_id} ({dossier_code})")
        dossier = await repo.dossier(dossier_code)
        schedule_lines = [fees.Fee(f["kind"], f["name"], int(f["amount"])) for f in schedule.fees]
        lines = fees.fee_lines(
            schedule_lines, schedule.postal_fee, by_post=dossier is not None and dossier.channel == 3
        )
        amount = fees.total(lines)
        if amount <= 0:
            return None
        at = now()
        request = PaymentRequest(
            id=new_payment_id(at, self.tz),
            dossier_code=dossier_code,
            stage=stage,
            procedure_code=procedure_code,
            agency_id=agency_id,
            amount=amount,
            fee_lines=[{"kind": f.kind, "name": f.name, "amount": f.amount} for f in lines],
            schedule_version=schedule.version,
            account={
                "version": account.version,
                "account_number": account.account_number,
                "account_name": account.account_name,
                "bank_code": account.bank_code,
                "bank_name": account.bank_name,
            },
            status="awaiting",
            created_at=at,
            updated_at=at,
        )
        if not await repo.insert_request(request):
            return None  # this dossier already has its request for this stage
        await self.outbox.add(
            session,
            PAYMENT_REQUESTED,
            PaymentRequested(
                payment_id=request.id,
                dossier_code=dossier_code,
                agency_id=agency_id,
                procedure_code=procedure_code,
                amount=amount,
                fee_lines=[FeeLine(kind=f.kind, name=f.name, amount=f.amount) for f in lines],
                requested_at=at,
            ),
            subject=dossier_code,
        )
        return request

    # ================================================================ the citizen pays

    async def start(self, payment_id: str, payer: Principal) -> dict[str, Any]:
        """INIT a new attempt and answer the platform's payment URL (or that it is already paid)."""
        async with self.uow() as session:
            request = await PaymentsRepository(session).request(payment_id)
            if request is None:
                raise not_found(payment_id)
            open_refs = [
                a.reference
                for a in await PaymentsRepository(session).attempts(payment_id)
                if a.status == "initiated"
            ]
        if request.status == "cancelled":
            raise cancelled(request)
        if request.status != "awaiting":
            raise already_paid(request)
        # An earlier attempt may have been paid at the bank without our hearing of it: ask first,
        # so that abandoning and retrying can never pay twice.
        for reference in open_refs:
            state = await self._query(reference)
            outcome = await self.apply(state)
            if outcome.verdict in ("paid", "already_paid"):
                async with self.uow() as session:
                    done = await PaymentsRepository(session).request(payment_id)
                assert done is not None
                raise already_paid(done)
        async with self.uow() as session:
            repo = PaymentsRepository(session)
            request = await repo.request(payment_id, lock=True)
            assert request is not None
            if request.status == "cancelled":
                raise cancelled(request)
            if request.status != "awaiting":
                raise already_paid(request)
            attempts = await repo.attempts(payment_id)
            for attempt in attempts:
                if attempt.status == "initiated":
                    attempt.status, attempt.updated_at = "superseded", now()
                    session.add(attempt)
            seq = max((a.seq for a in attempts), default=0) + 1
            at = now()
            attempt = PaymentAttempt(
                reference=f"{payment_id}-{seq}",
                payment_id=payment_id,
                seq=seq,
                amount=request.amount,
                status="created",
                payer_subject=payer.subject,
                created_at=at,
                updated_at=at,
            )
            session.add(attempt)
        message = self.platform.init_message(
            reference=attempt.reference,
            amount=request.amount,
            dossier_code=request.dossier_code,
            receipt_block={
                "MaThuTuc": request.procedure_code,
                "MaDichVu": request.procedure_code,
                "MaCoQuan": request.agency_id,
                "MaHoSo": request.dossier_code,
                "TaiKhoanThuHuong": request.account["account_number"],
                "TenTaiKhoanThuHuong": request.account["account_name"],
                "MaNganHangThuHuong": request.account["bank_code"],
                "PhiLePhi": [
                    {"LoaiPhiLePhi": f["kind"], "TenPhiLePhi": f["name"], "SoTien": f["amount"]}
                    for f in request.fee_lines
                ],
            },
            account_number=request.account["account_number"],
            return_url=f"{self.public_url}/api/v1/payments/return",
            notify_url=f"{self.public_url}/api/v1/payments/callback",
        )
        try:
            pay_url = await self.platform.init(message)
        except (PlatformUnavailable, PlatformRefused) as exc:
            await self._mark_attempt(attempt.reference, "init_failed", error=str(exc))
            if isinstance(exc, PlatformRefused):
                raise Problem(
                    502,
                    "payment-platform-refused",
                    "Nền tảng thanh toán từ chối khởi tạo giao dịch",
                    f"Nền tảng thanh toán trả lời: {exc.message} (mã {exc.code}). Chưa có khoản tiền nào bị trừ.",
                ) from exc
            raise unavailable() from exc
        async with self.uow() as session:
            current = await PaymentsRepository(session).attempt(attempt.reference, lock=True)
            assert current is not None
            if current.status == "created":
                current.status, current.pay_url, current.updated_at = "initiated", pay_url, now()
                session.add(current)
        return {
            "payment_id": payment_id,
            "reference": attempt.reference,
            "pay_url": pay_url,
            "amount": request.amount,
        }

    async def _mark_attempt(self, reference: str, status: str, *, error: str | None = None) -> None:
        async with self.uow() as session:
            attempt = await PaymentsRepository(session).attempt(reference, lock=True)
            if attempt is not None and attempt.status == "created":
                attempt.status, attempt.error_message, attempt.updated_at = status, error, now()
                session.add(attempt)

    # ================================================================ callback and verification

    async def callback(self, body: dict[str, Any]) -> Outcome:
        """The platform's callback: checksum, then a server-side QUERY before anything is trusted."""
        reference = body.get("MaThamChieu") if isinstance(body.get("MaThamChieu"), str) else None
        if (
            not checksum.verify("CALLBACK", body, self.platform.config.secret_key)
            or body.get("MaDoiTac") != self.platform.config.partner_code
        ):
            await self._log(reference, "bad_checksum", body)
            raise Problem(
                400, "bad-checksum", "Sai mã xác thực", "MaXacThuc không khớp; thông điệp bị từ chối."
            )
        async with self.uow() as session:
            attempt = await PaymentsRepository(session).attempt(reference or "")
        if attempt is None:
            await self._log(reference, "unknown_reference", body)
            raise Problem(
                404, "unknown-reference", "Không tìm thấy giao dịch", f"Không có giao dịch {reference}."
            )
        try:
            state = await self._query(attempt.reference)
        except Problem:
            await self._log(reference, "unverified", body)
            raise
        outcome = await self.apply(state)
        await self._log(reference, outcome.verdict, body)
        return outcome

    async def _log(self, reference: str | None, verdict: str, body: dict[str, Any]) -> None:
        async with self.uow() as session:
            await PaymentsRepository(session).log_callback(reference, verdict, body)

    async def _query(self, reference: str) -> TransactionState:
        try:
            return await self.platform.query(reference)
        except PlatformUnavailable as exc:
            log.warning("payment platform QUERY failed", extra={"reference": reference, "error": str(exc)})
            raise unavailable() from exc

    async def confirm(self, reference: str) -> Outcome:
        """Ask the platform about one attempt and record what it says (reconciliation, return page)."""
        return await self.apply(await self._query(reference))

    async def apply(self, state: TransactionState) -> Outcome:
        """Record a verified platform state for an attempt; idempotent under a row lock."""
        async with self.uow() as session:
            repo = PaymentsRepository(session)
            attempt = await repo.attempt(state.reference, lock=True)
            if attempt is None:
                return Outcome(state.reference, "not_found")
            request = await repo.request(attempt.payment_id, lock=True)
            assert request is not None
            if not state.found or state.status == PENDING:
                return Outcome(state.reference, "pending", request.id)
            if state.status == FAILED:
                return await self._failed(session, request, attempt, state)
            if state.status != PAID:
                return Outcome(state.reference, "pending", request.id)
            if attempt.status in ("paid", "duplicate", "amount_mismatch"):
                verdict = "already_paid" if attempt.status == "paid" else attempt.status
                return Outcome(state.reference, verdict, request.id)
            if state.amount != attempt.amount or state.currency != "VND":
                return await self._amount_mismatch(session, request, attempt, state)
            attempt.status, attempt.transaction_id, attempt.bank_code = (
                "paid",
                state.transaction_id,
                state.bank_code,
            )
            attempt.settled_amount, attempt.paid_at, attempt.updated_at = state.amount, now(), now()
            if request.status != "awaiting":
                # Paid twice (two attempts both paid at the bank), or paid for a dossier withdrawn in the
                # meantime: keep at most one payment, report the other for a refund.
                attempt.status = "duplicate"
                session.add(attempt)
                kind = "paid_after_cancellation" if request.status == "cancelled" else "duplicate_payment"
                await self._mismatch(session, kind, attempt, request, state.amount)
                return Outcome(state.reference, "duplicate", request.id)
            session.add(attempt)
            request.status, request.transaction_id, request.bank_code = (
                "verified",
                state.transaction_id,
                state.bank_code,
            )
            request.paid_reference, request.payer_subject = attempt.reference, attempt.payer_subject
            request.paid_at, request.updated_at = attempt.paid_at, now()
            session.add(request)
        await self.fetch_receipt(request.id)
        return Outcome(state.reference, "paid", request.id)

    async def _failed(
        self, session: AsyncSession, request: PaymentRequest, attempt: PaymentAttempt, state: TransactionState
    ) -> Outcome:
        if attempt.status not in ("initiated", "superseded", "created"):
            return Outcome(
                state.reference, "failed" if attempt.status == "failed" else attempt.status, request.id
            )
        reason = state.error_message or "Giao dịch không thành công"
        attempt.status, attempt.error_code, attempt.updated_at = "failed", "24", now()
        attempt.error_message = reason
        session.add(attempt)
        await self._emit_failed(session, request, attempt, "24", reason)
        return Outcome(state.reference, "failed", request.id)

    async def _emit_failed(
        self,
        session: AsyncSession,
        request: PaymentRequest,
        attempt: PaymentAttempt,
        error_code: str,
        reason: str,
    ) -> None:
        await self.outbox.add(
            session,
            PAYMENT_FAILED,
            PaymentFailed(
                payment_id=request.id,
                dossier_code=request.dossier_code,
                agency_id=request.agency_id,
                amount=attempt.amount,
                failed_at=now(),
                error_code=error_code,
                reason=reason,
            ),
            subject=request.dossier_code,
        )

    async def _amount_mismatch(
        self, session: AsyncSession, request: PaymentRequest, attempt: PaymentAttempt, state: TransactionState
    ) -> Outcome:
        attempt.status, attempt.settled_amount, attempt.updated_at = "amount_mismatch", state.amount, now()
        attempt.transaction_id, attempt.bank_code = state.transaction_id, state.bank_code
        attempt.error_code = "AMOUNT_MISMATCH"
        attempt.error_message = "Số tiền giao dịch không khớp với số tiền phải nộp"
        session.add(attempt)
        await self._mismatch(session, "amount_mismatch", attempt, request, state.amount)
        await self._emit_failed(
            session,
            request,
            attempt,
            "AMOUNT_MISMATCH",
            f"Số tiền giao dịch ({state.amount} VND) không khớp số tiền phải nộp ({attempt.amount} VND);"
            " khoản đã trừ sẽ được đối soát và hoàn trả.",
        )
        return Outcome(state.reference, "amount_mismatch", request.id)

    async def _mismatch(
        self,
        session: AsyncSession,
        kind: str,
        attempt: PaymentAttempt | None,
        request: PaymentRequest | None,
        settled: int | None,
        *,
        reference: str | None = None,
        transaction_id: str | None = None,
        settlement_date: str | None = None,
    ) -> bool:
        ref = reference or (attempt.reference if attempt else "")
        row = Mismatch(
            kind=kind,
            reference=ref,
            payment_id=request.id if request else None,
            transaction_id=transaction_id or (attempt.transaction_id if attempt else None),
            expected_amount=attempt.amount if attempt else None,
            settled_amount=settled,
            settlement_date=settlement_date,
            detected_at=now(),
        )
        if not await PaymentsRepository(session).add_mismatch(row):
            return False
        log.warning("payment mismatch", extra={"kind": kind, "reference": ref})
        await self.outbox.add(
            session,
            PAYMENT_MISMATCH,
            PaymentMismatch(
                payment_id=row.payment_id,
                dossier_code=request.dossier_code if request else None,
                agency_id=request.agency_id if request else None,
                reference=ref,
                transaction_id=row.transaction_id,
                kind=kind,
                expected_amount=row.expected_amount,
                settled_amount=settled,
                detected_at=row.detected_at,
                settlement_date=settlement_date,
            ),
            subject=request.dossier_code if request else ref,
        )
        return True

    # ================================================================ receipt (GET_BILL)

    async def fetch_receipt(self, payment_id: str) -> bool:
        """Fetch, verify and store the bank-signed receipt; then the payment is complete (Điện Biên 15.2).

        False when the platform cannot give it now (reconciliation tries again).
        """
        async with self.uow() as session:
            request = await PaymentsRepository(session).request(payment_id)
        if request is None or request.status != "verified":
            return request is not None and request.status == "paid"
        assert request.paid_reference and request.transaction_id
        try:
            document, signature = await self.platform.bill(request.paid_reference, request.transaction_id)
            key = await self.platform.receipt_key()
        except PlatformUnavailable as exc:
            log.warning("GET_BILL failed", extra={"payment_id": payment_id, "error": str(exc)})
            return False
        if not receipts.verify_receipt(document, signature, key) or (
            document.get("MaGiaoDich") != request.transaction_id or document.get("SoTien") != request.amount
        ):
            log.error("receipt signature or content invalid", extra={"payment_id": payment_id})
            return False
        async with self.uow() as session:
            repo = PaymentsRepository(session)
            request = await repo.request(payment_id, lock=True)
            assert request is not None
            if request.status != "verified":
                return request.status == "paid"
            digest = receipts.receipt_sha256(document)
            receipt = Receipt(
                payment_id=payment_id,
                receipt_number=str(document.get("SoChungTu", "")),
                document=document,
                signature=signature,
                sha256=digest,
                fetched_at=now(),
            )
            await repo.save_receipt(receipt)
            request.status, request.updated_at = "paid", now()
            session.add(request)
            assert request.paid_at is not None and request.transaction_id is not None
            await self.outbox.add(
                session,
                PAYMENT_COMPLETED,
                PaymentCompleted(
                    payment_id=request.id,
                    dossier_code=request.dossier_code,
                    agency_id=request.agency_id,
                    amount=request.amount,
                    paid_at=request.paid_at,
                    transaction_id=request.transaction_id,
                    bank_code=request.bank_code,
                ),
                subject=request.dossier_code,
            )
            await self.outbox.add(
                session,
                PAYMENT_RECEIPT_ISSUED,
                PaymentReceiptIssued(
                    payment_id=request.id,
                    dossier_code=request.dossier_code,
                    agency_id=request.agency_id,
                    payer_subject=request.payer_subject,
                    receipt_number=receipt.receipt_number,
                    amount=request.amount,
                    sha256=digest,
                    url=f"/api/v1/payments/{request.id}/receipt",
                    issued_at=receipt.fetched_at,
                ),
                subject=request.dossier_code,
            )
        return True

    # ================================================================ reconciliation

    async def reconcile(self, *, min_age_seconds: float, days: int = 2) -> dict[str, Any]:
        """Confirm open attempts, fetch missing receipts, compare settlement lists with our records."""
        report: dict[str, Any] = {"confirmed": [], "receipts": 0, "mismatches": [], "unavailable": False}
        async with self.uow() as session:
            repo = PaymentsRepository(session)
            open_refs = await repo.open_attempts(min_age_seconds)
            verified = await repo.verified_without_receipt()
        try:
            for reference in open_refs:
                outcome = await self.apply(await self.platform.query(reference))
                if outcome.verdict != "pending":
                    report["confirmed"].append({"reference": reference, "verdict": outcome.verdict})
            for payment_id in verified:
                report["receipts"] += int(await self.fetch_receipt(payment_id))
            today = now().astimezone(self.tz).date()
            for back in range(days):
                day = today - timedelta(days=back)
                report["mismatches"] += await self._compare_settlement(day.strftime("%Y%m%d"))
        except PlatformUnavailable as exc:
            log.warning("reconciliation: platform unavailable", extra={"error": str(exc)})
            report["unavailable"] = True
        return report

    async def _compare_settlement(self, day: str) -> list[dict[str, Any]]:
        settled = {str(r.get("MaThamChieu")): r for r in await self.platform.settlement(day)}
        found: list[dict[str, Any]] = []
        iso = f"{day[:4]}-{day[4:6]}-{day[6:]}"
        for reference, row in settled.items():
            async with self.uow() as session:
                attempt = await PaymentsRepository(session).attempt(reference)
            if attempt is not None and attempt.status not in ("paid", "duplicate", "amount_mismatch"):
                # The platform has it paid but we never heard (callback lost): confirm by QUERY now.
                await self.apply(await self.platform.query(reference))
            async with self.uow() as session:
                repo = PaymentsRepository(session)
                attempt = await repo.attempt(reference)
                request = await repo.request(attempt.payment_id) if attempt else None
                amount = row.get("SoTien")
                kind = None
                if attempt is None:
                    kind = "unknown_reference"
                elif attempt.status not in ("paid", "duplicate", "amount_mismatch"):
                    kind = "paid_not_recorded"
                elif amount != attempt.amount and attempt.status == "paid":
                    kind = "amount_mismatch"
                if kind and await self._mismatch(
                    session,
                    kind,
                    attempt,
                    request,
                    amount if isinstance(amount, int) else None,
                    reference=reference,
                    transaction_id=row.get("MaGiaoDich"),
                    settlement_date=iso,
                ):
                    found.append({"kind": kind, "reference": reference})
        start = datetime.strptime(day, "%Y%m%d").replace(tzinfo=self.tz)
        async with self.uow() as session:
            repo = PaymentsRepository(session)
            for attempt in await repo.paid_attempts_between(start, start + timedelta(days=1)):
                if attempt.reference in settled or (now() - (attempt.paid_at or now())) < timedelta(
                    minutes=30
                ):
                    continue  # settlement lists lag behind the newest payments
                request = await repo.request(attempt.payment_id)
                if await self._mismatch(
                    session, "recorded_not_settled", attempt, request, None, settlement_date=iso
                ):
                    found.append({"kind": "recorded_not_settled", "reference": attempt.reference})
        return found


def not_found(payment_id: str) -> Problem:
    return Problem(
        404,
        "payment-not-found",
        "Không tìm thấy khoản thanh toán",
        f"Không có khoản thanh toán {payment_id}.",
    )


def cancelled(request: PaymentRequest) -> Problem:
    return Problem(
        409,
        "payment-cancelled",
        "Khoản phí này đã được hủy",
        f"Hồ sơ {request.dossier_code} đã rút hoặc dừng xử lý; không thu phí.",
        payment_id=request.id,
    )


def already_paid(request: PaymentRequest) -> Problem:
    return Problem(
        409,
        "already-paid",
        "Khoản phí này đã được thanh toán",
        f"Hồ sơ {request.dossier_code} đã thanh toán {request.amount} VND; không thu thêm.",
        payment_id=request.id,
        status_code=request.status,
        receipt_url=f"/api/v1/payments/{request.id}/receipt",
    )
