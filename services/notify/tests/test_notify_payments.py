"""Applicants hear about fees: asked to pay (with the fee lines), payment received, payment failed."""

from __future__ import annotations

from datetime import UTC, datetime

from notify_support import Notify, make_event, new_code

from dvc_common.events import (
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_REQUESTED,
    FeeLine,
    PaymentCompleted,
    PaymentFailed,
    PaymentRequested,
)

AT = datetime(2026, 2, 23, 1, 15, tzinfo=UTC)


async def test_payment_request_receipt_and_failure_reach_the_applicant(notify: Notify) -> None:
    code = new_code()
    await notify.contact(code, email="thanh@example.vn", phone="0912345678", channels=["email", "zalo"])
    ids = {"payment_id": "TT-1", "dossier_code": code, "agency_id": "000.00.14.H56"}
    requested = PaymentRequested(
        **ids,
        procedure_code="1.003560.000.00.00.H56",
        amount=1_150_000,
        fee_lines=[
            FeeLine(kind="le_phi", name="Lệ phí cấp giấy phép xây dựng", amount=150_000),
            FeeLine(kind="phi", name="Phí thẩm định", amount=1_000_000),
        ],
        requested_at=AT,
    )
    for event_type, payload in (
        (PAYMENT_REQUESTED, requested),
        (
            PAYMENT_FAILED,
            PaymentFailed(
                **ids, amount=1_150_000, failed_at=AT, error_code="24", reason="Khách hàng hủy giao dịch"
            ),
        ),
        (PAYMENT_COMPLETED, PaymentCompleted(**ids, amount=1_150_000, paid_at=AT, transaction_id="GD42")),
    ):
        await notify.status(code, 6, event=make_event(event_type, payload, "TT-1"))
    await notify.drain()

    mails = {str(m["Subject"]): m for m in notify.smtp.inbox.to("thanh@example.vn")}
    assert set(mails) == {
        f"Hồ sơ {code}: đề nghị nộp 1.150.000 đ",
        f"Hồ sơ {code}: thanh toán chưa thành công",
        f"Hồ sơ {code}: đã nhận 1.150.000 đ",
    }
    asked = mails[f"Hồ sơ {code}: đề nghị nộp 1.150.000 đ"].get_body(preferencelist=("plain",))
    assert asked is not None
    text = asked.get_content()
    assert "- Lệ phí cấp giấy phép xây dựng: 150.000 đ" in text
    assert "- Phí thẩm định: 1.000.000 đ" in text
    failed = mails[f"Hồ sơ {code}: thanh toán chưa thành công"].get_body(preferencelist=("plain",))
    assert failed is not None and "Khách hàng hủy giao dịch" in failed.get_content()

    zalo = await notify.zalo_messages()
    assert sorted(m["template_id"] for m in zalo) == ["310211", "310212", "310213"]
    assert {m["template_data"]["so_tien"] for m in zalo} == {"1.150.000 đ"}
