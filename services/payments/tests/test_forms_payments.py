"""The receipt event carries the bank-signed document as payments verified it, so that intake can
print the biên lai from the real data (the same document payments keeps and serves)."""

from __future__ import annotations

from payments_support import CITIZEN, Harness, new_code


async def test_receipt_issued_carries_the_verified_bank_document(payments: Harness) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    started = await payments.payments.start(payment_id, CITIZEN)
    await payments.complete(started["reference"], "success")
    (receipt,) = await payments.rows("SELECT * FROM payments_receipt WHERE payment_id = :p", p=payment_id)
    (issued,) = await payments.events("payment.receipt_issued.v1")
    assert issued["document"] == receipt["document"]
    document = issued["document"]
    assert document["MaHoSo"] == code and document["SoTien"] == 150_000
    assert document["SoChungTu"] == issued["receipt_number"] and document["ThongTinBienLai"]["PhiLePhi"]
