"""Fees taken at the one-stop counter (issue 15): the handling agency's one-stop officer records a cash
or card payment; the agency's receipt is issued to the dossier's owner and payment.completed.v1 moves
the dossier on as after an online payment. Nobody else may record one, and never twice."""

from __future__ import annotations

import pytest
from payments_support import AGENCY, CITIZEN, Harness, new_code

from dvc_common.principal import Principal
from dvc_common.problems import Problem


def officer(*roles: str, agency: str = AGENCY) -> Principal:
    return Principal(
        subject=f"officer-{agency}-{'-'.join(roles)}",
        kind="officer",
        name="Lò Thị Thu",
        agency_id=agency,
        roles=frozenset(roles),
    )


async def test_the_one_stop_officer_records_a_cash_payment_and_the_receipt_is_issued(
    payments: Harness,
) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    desk = officer("one_stop_officer")
    paid = await payments.payments.record_counter_payment(
        payment_id, desk, method="cash", card_reference=None
    )
    assert paid.status == "paid" and paid.method == "cash" and paid.collected_by == desk.subject
    (receipt,) = await payments.rows("SELECT * FROM payments_receipt WHERE payment_id = :p", p=payment_id)
    document = receipt["document"]
    assert document["MaHoSo"] == code and document["SoTien"] == 150_000 and receipt["signature"] == ""
    assert document["HinhThucNop"] == "Tiền mặt" and document["NguoiThu"] == "Lò Thị Thu"
    assert document["ThongTinBienLai"]["PhiLePhi"][0]["SoTien"] == 150_000
    (completed,) = await payments.events("payment.completed.v1")
    assert completed["payment_id"] == payment_id and completed["method"] == "cash"
    assert completed["transaction_id"] == document["SoChungTu"]
    (issued,) = await payments.events("payment.receipt_issued.v1")
    assert issued["payer_subject"] == CITIZEN.subject and issued["document"] == document
    # The owner's online payment is no longer possible: it is paid.
    with pytest.raises(Problem) as again:
        await payments.payments.start(payment_id, CITIZEN)
    assert again.value.status == 409


async def test_only_the_handling_agencys_one_stop_officer_records_it_and_only_once(payments: Harness) -> None:
    payment_id = await payments.obligation(new_code())
    for who, status in (
        (officer("processing_officer"), 403),  # reads the payment, takes no money
        (officer("one_stop_officer", agency="000.00.03.H56"), 404),  # another agency: not even seen
        (CITIZEN, 403),
    ):
        with pytest.raises(Problem) as refused:
            await payments.payments.record_counter_payment(
                payment_id, who, method="cash", card_reference=None
            )
        assert refused.value.status == status, who
    assert await payments.events("payment.completed.v1") == []
    desk = officer("one_stop_officer")
    await payments.payments.record_counter_payment(
        payment_id, desk, method="card", card_reference="POS-000123"
    )
    with pytest.raises(Problem) as twice:
        await payments.payments.record_counter_payment(payment_id, desk, method="cash", card_reference=None)
    assert twice.value.status == 409
    assert len(await payments.events("payment.completed.v1")) == 1
    (receipt,) = await payments.rows(
        "SELECT document FROM payments_receipt WHERE payment_id = :p", p=payment_id
    )
    assert receipt["document"]["MaGiaoDichThe"] == "POS-000123"
