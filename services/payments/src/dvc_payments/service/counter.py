"""Fees taken at the one-stop counter (cash or card): the one-stop officer of the handling agency, or
of the agency receiving its dossiers (the provincial service centre for departments), records them; the agency's receipt (biên lai) is issued and the dossier moves on as after an online payment."""

from __future__ import annotations

from typing import Literal

from dvc_common.principal import Principal
from dvc_payments.domain.access import may_read_payment, may_record_counter_payment
from dvc_payments.domain.receipts import counter_receipt, receipt_block
from dvc_payments.errors import already_paid, cancelled, not_found, not_payable_at_counter
from dvc_payments.models import PaymentRequest
from dvc_payments.repository import PaymentsRepository
from dvc_payments.service.context import PaymentsContext, now
from dvc_payments.service.receipts import complete

CounterMethod = Literal["cash", "card"]


def counter_receipt_number(payment_id: str) -> str:
    """The agency's receipt number for a request paid at the counter (one per request)."""
    return "BL" + payment_id.removeprefix("TT")


async def record_counter_payment(
    ctx: PaymentsContext,
    payment_id: str,
    officer: Principal,
    *,
    method: CounterMethod,
    card_reference: str | None,
) -> PaymentRequest:
    """The officer took the whole amount at the counter: the request is paid, its receipt issued."""
    async with ctx.uow() as session:
        repo = PaymentsRepository(session)
        request = await repo.request(payment_id, lock=True)
        if request is None:
            raise not_found(payment_id)
        dossier = await repo.dossier(request.dossier_code)
        performing = await repo.procedure_agency(request.procedure_code, request.agency_id)
        receiving = performing.receiving_agency_id if performing is not None else None
        may_record = may_record_counter_payment(officer, request, receiving)
        # The receiving desk's officer sees the payment they take; others as the read policy says.
        if not (may_record or may_read_payment(officer, request, dossier)):
            raise not_found(payment_id)
        if not may_record:
            raise not_payable_at_counter()
        if request.status == "cancelled":
            raise cancelled(request)
        if request.status != "awaiting":
            raise already_paid(request)
        at = now()
        number = counter_receipt_number(request.id)
        request.status, request.transaction_id, request.bank_code = "verified", number, None
        request.method, request.collected_by = method, officer.subject
        # The receipt belongs to the dossier's owner (their data store), who did not pay online.
        request.payer_subject = dossier.owner_subject if dossier is not None else None
        request.paid_at, request.updated_at = at, at
        document = counter_receipt(
            receipt_number=number,
            dossier_code=request.dossier_code,
            amount=request.amount,
            paid_at_local_iso=at.astimezone(ctx.tz).isoformat(),
            method=method,
            collector_name=officer.name or officer.subject,
            card_reference=card_reference,
            block=receipt_block(
                procedure_code=request.procedure_code,
                agency_id=request.agency_id,
                dossier_code=request.dossier_code,
                account=request.account,
                fee_lines=request.fee_lines,
            ),
        )
        await complete(ctx, session, request, document, signature="")
    return request
