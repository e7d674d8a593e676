"""Payments against the platform simulator: what a citizen and an accountant would see.

Every case ends with the same checks a person would make: how much was taken, how many payments
and receipts exist, which events workflow and the accountant get.
"""

from __future__ import annotations

from typing import Any, cast

import pytest
from payments_support import CITIZEN, Harness, new_code, submission

from dvc_common.problems import Problem
from dvc_payments.domain import checksum
from dvc_payments.domain.fees import Fee


async def paid_dossier(p: Harness) -> tuple[str, str, str]:
    code = new_code()
    payment_id = await p.obligation(code)
    started = await p.payments.start(payment_id, CITIZEN)
    await p.complete(started["reference"], "success")
    return code, payment_id, started["reference"]


async def test_status_6_creates_one_request_with_fee_lines_and_integer_total(payments: Harness) -> None:
    code = new_code()
    async with payments.transaction() as session:  # submitted online, the result goes back by post
        await payments.payments.record_submission(session, submission(code, result_delivery="post"))
    payment_id = await payments.obligation(code)
    await payments.obligation(code)  # the same status again: no second request
    request = await payments.request(payment_id)
    assert request["amount"] == 175_000 and isinstance(request["amount"], int)
    assert [line["kind"] for line in request["fee_lines"]] == ["le_phi", "buu_chinh"]
    assert request["account"]["account_number"] == "3511.0.1234567"
    (event,) = await payments.events("payment.requested.v1")
    assert event["payment_id"] == payment_id and event["dossier_code"] == code and event["amount"] == 175_000


async def test_postal_fee_follows_the_result_delivery_not_the_submission_channel(payments: Harness) -> None:
    """Điện Biên Điều 14.3: the postal fee is for returning the result by post. A dossier posted in
    whose result is collected at the counter pays no postal fee; an online one returned by post does."""
    posted_in, posted_back = new_code(), new_code()
    async with payments.transaction() as session:
        await payments.payments.record_submission(
            session, submission(posted_in, channel=3, result_delivery="counter")
        )
        await payments.payments.record_submission(
            session, submission(posted_back, channel=2, result_delivery="post")
        )
    first = await payments.request(await payments.obligation(posted_in))
    second = await payments.request(await payments.obligation(posted_back))
    assert [line["kind"] for line in first["fee_lines"]] == ["le_phi"] and first["amount"] == 150_000
    assert [line["kind"] for line in second["fee_lines"]] == ["le_phi", "buu_chinh"]
    assert second["amount"] == 175_000


async def test_upfront_procedure_charges_at_submission(payments: Harness) -> None:
    await payments.configure(upfront=True)
    code = new_code()
    async with payments.transaction() as session:
        await payments.payments.record_submission(session, submission(code))
    (event,) = await payments.events("payment.requested.v1")
    assert event["dossier_code"] == code and event["amount"] == 150_000


async def test_success_verified_by_query_then_receipt_then_completed(payments: Harness) -> None:
    code, payment_id, _reference = await paid_dossier(payments)
    request = await payments.request(payment_id)
    assert request["status"] == "paid" and request["payer_subject"] == CITIZEN.subject
    (receipt,) = await payments.rows("SELECT * FROM payments_receipt WHERE payment_id = :p", p=payment_id)
    assert receipt["document"]["SoTien"] == 150_000 and receipt["document"]["MaHoSo"] == code
    (completed,) = await payments.events("payment.completed.v1")
    assert completed["payment_id"] == payment_id and completed["amount"] == 150_000
    assert completed["transaction_id"] == request["transaction_id"]
    (issued,) = await payments.events("payment.receipt_issued.v1")
    assert issued["payer_subject"] == CITIZEN.subject and issued["sha256"] == receipt["sha256"]
    assert payments.callback_answers == [200]


async def test_forged_callback_changes_nothing(payments: Harness) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    started = await payments.payments.start(payment_id, CITIZEN)
    forged = {
        "LoaiBanTin": "CALLBACK", "MaLoi": "00", "MaDoiTac": "DVC_LAICHAU", "MaThamChieu": started["reference"],
        "SoTien": 150_000, "MaTienTe": "VND", "MaGiaoDich": "GD999", "MaNganHang": "VCB",
        "ThoiGianGD": "20260223081500", "ThongTinGiaoDich": "x",
    }  # fmt: skip
    forged["MaXacThuc"] = checksum.sign("CALLBACK", forged, "not-the-secret")
    with pytest.raises(Problem) as refused:
        await payments.payments.callback(forged)
    assert refused.value.status == 400
    # Even a correct checksum with a false "paid" is only a hint: QUERY says it is still pending.
    genuine = checksum.signed(
        "CALLBACK", {k: v for k, v in forged.items() if k != "MaXacThuc"}, "dev-payment-secret"
    )
    outcome = await payments.payments.callback(genuine)
    assert outcome.verdict == "pending"
    assert (await payments.request(payment_id))["status"] == "awaiting"
    assert await payments.events("payment.completed.v1") == []
    verdicts = [
        r["verdict"] for r in await payments.rows("SELECT verdict FROM payments_callback_log ORDER BY id")
    ]
    assert verdicts == ["bad_checksum", "pending"]


async def test_replayed_and_duplicate_callbacks_pay_once(payments: Harness) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    started = await payments.payments.start(payment_id, CITIZEN)
    await payments.complete(started["reference"], "duplicate_callback")
    replay = await payments.sim.post(
        f"/payment-platform/_control/transactions/{started['reference']}/callback"
    )
    assert replay.json()["status"] == 200
    assert payments.callback_answers == [200, 200, 200]
    assert len(await payments.events("payment.completed.v1")) == 1
    assert len(await payments.rows("SELECT 1 FROM payments_receipt")) == 1
    # A second INIT for a paid request changes nothing.
    with pytest.raises(Problem) as again:
        await payments.payments.start(payment_id, CITIZEN)
    assert again.value.status == 409
    assert len(payments.store.transactions) == 1


async def test_amount_mismatch_is_refused_and_reported(payments: Harness) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    started = await payments.payments.start(payment_id, CITIZEN)
    await payments.complete(started["reference"], "mismatched_amount")
    assert (await payments.request(payment_id))["status"] == "awaiting"
    assert await payments.events("payment.completed.v1") == []
    (failed,) = await payments.events("payment.failed.v1")
    assert failed["error_code"] == "AMOUNT_MISMATCH" and "không khớp" in failed["reason"]
    (mismatch,) = await payments.events("payment.mismatch.v1")
    assert (mismatch["kind"], mismatch["expected_amount"], mismatch["settled_amount"]) == (
        "amount_mismatch", 150_000, 149_000,
    )  # fmt: skip
    # The citizen can pay again at once, correctly this time.
    retry = await payments.payments.start(payment_id, CITIZEN)
    await payments.complete(retry["reference"], "success")
    assert (await payments.request(payment_id))["status"] == "paid"


async def test_callback_for_unknown_reference(payments: Harness) -> None:
    body = checksum.signed(
        "CALLBACK",
        {
            "LoaiBanTin": "CALLBACK",
            "MaLoi": "00",
            "MaDoiTac": "DVC_LAICHAU",
            "MaThamChieu": "TT-000000-NOPE-1",
            "SoTien": 150_000,
            "MaTienTe": "VND",
            "MaGiaoDich": "GD1",
            "MaNganHang": "VCB",
            "ThoiGianGD": "20260223081500",
            "ThongTinGiaoDich": "x",
        },
        "dev-payment-secret",
    )
    with pytest.raises(Problem) as unknown:
        await payments.payments.callback(body)
    assert unknown.value.status == 404
    assert [r["verdict"] for r in await payments.rows("SELECT verdict FROM payments_callback_log")] == [
        "unknown_reference"
    ]


async def test_failure_then_immediate_retry(payments: Harness) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    first = await payments.payments.start(payment_id, CITIZEN)
    await payments.complete(first["reference"], "failure")
    (failed,) = await payments.events("payment.failed.v1")
    assert failed["error_code"] == "24"
    second = await payments.payments.start(payment_id, CITIZEN)
    assert second["reference"] != first["reference"]
    await payments.complete(second["reference"], "success")
    assert (await payments.request(payment_id))["status"] == "paid"


async def test_abandoned_attempt_paid_later_is_found_before_a_second_payment(payments: Harness) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    first = await payments.payments.start(payment_id, CITIZEN)
    # The bank took the money but the callback was lost; the citizen, seeing nothing, tries again.
    await payments.complete(first["reference"], "timeout")
    with pytest.raises(Problem) as again:
        await payments.payments.start(payment_id, CITIZEN)
    assert again.value.status == 409
    assert (await payments.request(payment_id))["status"] == "paid"
    assert len(payments.store.transactions) == 1


async def test_platform_down_during_init(payments: Harness) -> None:
    payment_id = await payments.obligation(new_code())
    await payments.outage(True)
    with pytest.raises(Problem) as down:
        await payments.payments.start(payment_id, CITIZEN)
    assert down.value.status == 503 and "Chưa có khoản tiền nào bị trừ" in down.value.detail
    await payments.outage(False)
    started = await payments.payments.start(payment_id, CITIZEN)
    await payments.complete(started["reference"], "success")
    statuses = [r["status"] for r in await payments.rows("SELECT status FROM payments_attempt ORDER BY seq")]
    assert statuses == ["init_failed", "paid"]


async def test_platform_down_during_query_then_reconciliation(payments: Harness) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    started = await payments.payments.start(payment_id, CITIZEN)
    # The bank pays; when the callback arrives we cannot QUERY: nothing is trusted, the platform is told 503.
    payments.store.down = False
    txn = payments.store.by_reference(started["reference"])
    assert txn is not None

    async def deliver_while_down(url: str, body: dict[str, object]) -> int:
        payments.store.down = True
        try:
            await payments.payments.callback(dict(body))
            return 200
        except Problem as problem:
            return problem.status
        finally:
            payments.store.down = False

    payments.store.deliver = deliver_while_down
    result = await payments.complete(started["reference"], "success")
    assert result["delivered"] == [503]
    assert (await payments.request(payment_id))["status"] == "awaiting"
    report = await payments.payments.reconcile(min_age_seconds=0)
    assert report["confirmed"] == [{"reference": started["reference"], "verdict": "paid"}]
    assert (await payments.request(payment_id))["status"] == "paid"
    assert len(await payments.events("payment.completed.v1")) == 1


async def test_reconciliation_finds_payment_whose_callback_never_arrived(payments: Harness) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    started = await payments.payments.start(payment_id, CITIZEN)
    await payments.complete(started["reference"], "timeout")
    assert (await payments.request(payment_id))["status"] == "awaiting"
    report = await payments.payments.reconcile(min_age_seconds=0)
    assert report["confirmed"] == [{"reference": started["reference"], "verdict": "paid"}]
    assert (await payments.request(payment_id))["status"] == "paid"
    (completed,) = await payments.events("payment.completed.v1")
    assert completed["dossier_code"] == code
    # Running again finds nothing new and pays nothing twice.
    again = await payments.payments.reconcile(min_age_seconds=0)
    assert again["confirmed"] == [] and again["mismatches"] == []
    assert len(await payments.events("payment.completed.v1")) == 1


async def test_reconciliation_reports_settled_payment_we_never_initiated(payments: Harness) -> None:
    await paid_dossier(payments)
    # A transaction on our partner account that no attempt of ours knows (e.g. made by hand).
    stranger = payments.store.by_reference(next(iter(payments.store.transactions))[1])
    assert stranger is not None
    from dataclasses import replace

    ghost = replace(stranger, reference="TT-GHOST-1", transaction_id="GD000000000777", callbacks=[])
    payments.store.transactions[("DVC_LAICHAU", "TT-GHOST-1")] = ghost
    report = await payments.payments.reconcile(min_age_seconds=0)
    assert {"kind": "unknown_reference", "reference": "TT-GHOST-1"} in report["mismatches"]
    (event,) = await payments.events("payment.mismatch.v1")
    assert event["kind"] == "unknown_reference" and event["settled_amount"] == 150_000
    assert (await payments.payments.reconcile(min_age_seconds=0))["mismatches"] == []  # reported once


async def test_reconciliation_lease_lets_one_replica_run(payments: Harness) -> None:
    from dvc_common.lease import Lease

    first = Lease(payments.transaction, table="payments_lease", name="reconcile", ttl_seconds=60, holder="a")
    second = Lease(payments.transaction, table="payments_lease", name="reconcile", ttl_seconds=60, holder="b")
    assert await first.acquire() and await first.acquire()  # renewing
    assert not await second.acquire()
    await first.release()
    assert await second.acquire()
    expired = Lease(payments.transaction, table="payments_lease", name="other", ttl_seconds=0, holder="a")
    assert await expired.acquire()
    assert await Lease(
        payments.transaction, table="payments_lease", name="other", ttl_seconds=60, holder="b"
    ).acquire()


async def test_catalog_fees_are_the_default_until_the_agency_configures_its_own(
    payments: Harness,
) -> None:
    from payments_support import AGENCY

    from dvc_common.events import FeeLine, ProcedurePublished, ProcessingTime

    def published(amount: int, revision: str) -> ProcedurePublished:
        return ProcedurePublished(
            code="1.004946.000.00.00.H56", name="Cấp giấy phép lái xe quốc tế", field_name="Đường bộ",
            agency_id=AGENCY, agency_name="Sở Xây dựng", processing_time=ProcessingTime(value=5, unit="working_days"),
            online_level="full", components=[], revision=revision,
            fees=[FeeLine(kind="le_phi", name="Lệ phí cấp giấy phép lái xe quốc tế", amount=amount)],
        )  # fmt: skip

    async def versions() -> list[tuple[int, int, str]]:
        rows = await payments.rows(
            "SELECT version, fees, author FROM payments_fee_schedule WHERE procedure_code = '1.004946.000.00.00.H56'"
            " ORDER BY version"
        )
        return [(r["version"], r["fees"][0]["amount"], r["author"]) for r in rows]

    for amount, revision in ((135_000, "r1"), (135_000, "r1"), (150_000, "r2")):
        async with payments.transaction() as session:
            await payments.payments.adopt_catalog_fees(session, published(amount, revision))
    assert await versions() == [(1, 135_000, "danh-muc:r1"), (2, 150_000, "danh-muc:r2")]
    async with payments.transaction() as session:
        await payments.payments.set_fee_schedule(
            session, procedure_code="1.004946.000.00.00.H56", agency_id=AGENCY,
            lines=[Fee("le_phi", "Lệ phí", 140_000)], postal_fee=30_000, upfront=False, author="admin-1",
        )  # fmt: skip
        await payments.payments.adopt_catalog_fees(session, published(99_000, "r3"))
    assert (await versions())[-1] == (3, 140_000, "admin-1")


async def test_concurrent_callbacks_and_queries_pay_once(payments: Harness) -> None:
    import asyncio

    payment_id = await payments.obligation(new_code())
    started = await payments.payments.start(payment_id, CITIZEN)
    txn = payments.store.by_reference(started["reference"])
    assert txn is not None
    payments.store.deliver = lambda url, body: asyncio.sleep(0, 200)
    result = await payments.complete(started["reference"], "success")
    callback = result["callback"]
    outcomes = await asyncio.gather(
        *(payments.payments.callback(dict(callback)) for _ in range(4)),
        payments.payments.confirm(started["reference"]),
        payments.payments.reconcile(min_age_seconds=0),
    )
    verdicts = sorted(cast(Any, o).verdict for o in outcomes[:5])  # gather of mixed awaitables
    assert verdicts.count("paid") == 1 and set(verdicts) <= {"paid", "already_paid"}
    assert len(await payments.events("payment.completed.v1")) == 1
    assert len(await payments.rows("SELECT 1 FROM payments_receipt")) == 1


async def test_reconciler_runs_under_the_lease_on_one_replica_only(payments: Harness) -> None:
    from dvc_common.jobs import NotLeader, PeriodicJob
    from dvc_common.lease import Lease
    from dvc_payments.service.reconciliation import ReconciliationRuns

    def replica(holder: str) -> ReconciliationRuns:
        lease = Lease(
            payments.transaction, table="payments_lease", name="reconcile", ttl_seconds=30, holder=holder
        )
        return ReconciliationRuns(payments.payments, lease, min_age_seconds=0)

    payment_id = await payments.obligation(new_code())
    started = await payments.payments.start(payment_id, CITIZEN)
    await payments.complete(started["reference"], "timeout")
    first, second = replica("pod-a"), replica("pod-b")
    report = await first.now()
    assert report["confirmed"] == [{"reference": started["reference"], "verdict": "paid"}]
    assert (await second.now()) == {"skipped": "another replica holds the reconciliation lease"}
    await first.lease.release()
    assert "confirmed" in await second.now()
    # The scheduled passes run as the periodic job of each replica, under the same lease.
    scheduled = PeriodicJob("payments-reconcile", first.scheduled, every=60, lease=first.lease)
    with pytest.raises(NotLeader):
        await scheduled.run_once()
    await second.lease.release()
    assert await scheduled.run_once() is None
    assert (await second.now()) == {"skipped": "another replica holds the reconciliation lease"}


async def test_withdrawn_dossier_owes_nothing_and_a_late_bank_payment_is_refunded(payments: Harness) -> None:
    from payments_support import status_change

    from dvc_common.events import NationalStatus

    code = new_code()
    payment_id = await payments.obligation(code)
    started = await payments.payments.start(payment_id, CITIZEN)
    async with payments.transaction() as session:
        await payments.payments.follow_status(session, status_change(code, NationalStatus.WITHDRAWN))
    assert (await payments.request(payment_id))["status"] == "cancelled"
    with pytest.raises(Problem) as refused:
        await payments.payments.start(payment_id, CITIZEN)
    assert refused.value.status == 409 and "không thu phí" in refused.value.detail
    # The citizen had already been at the bank: the money came in after the withdrawal.
    await payments.complete(started["reference"], "success")
    assert (await payments.request(payment_id))["status"] == "cancelled"
    assert await payments.events("payment.completed.v1") == []
    (mismatch,) = await payments.events("payment.mismatch.v1")
    assert mismatch["kind"] == "paid_after_cancellation" and mismatch["settled_amount"] == 150_000


async def test_receipt_unavailable_holds_completion_until_reconciliation_fetches_it(
    payments: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = new_code()
    payment_id = await payments.obligation(code)
    started = await payments.payments.start(payment_id, CITIZEN)
    real_bill = payments.store.bill
    monkeypatch.setattr(
        payments.store, "bill", lambda body: {"LoaiBanTin": "GET_BILL", "MaLoi": "96", "MoTaLoi": "Bảo trì"}
    )
    await payments.complete(started["reference"], "success")
    request = await payments.request(payment_id)
    # Verified with the platform, but workflow waits for the bank-signed receipt (Điện Biên Điều 15.2).
    assert request["status"] == "verified" and request["transaction_id"]
    assert await payments.events("payment.completed.v1") == []
    monkeypatch.setattr(payments.store, "bill", real_bill)
    report = await payments.payments.reconcile(min_age_seconds=0)
    assert report["receipts"] == 1
    assert (await payments.request(payment_id))["status"] == "paid"
    assert len(await payments.events("payment.completed.v1")) == 1


async def test_receipt_with_a_bad_bank_signature_is_not_stored(
    payments: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    payment_id = await payments.obligation(new_code())
    started = await payments.payments.start(payment_id, CITIZEN)
    real_bill = payments.store.bill

    def tampered(body: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = real_bill(body)
        if "BienLai" in answer:
            answer["BienLai"] = {**answer["BienLai"], "NoiDung": "Sửa nội dung"}
        return answer

    monkeypatch.setattr(payments.store, "bill", tampered)
    await payments.complete(started["reference"], "success")
    assert (await payments.request(payment_id))["status"] == "verified"
    assert await payments.rows("SELECT 1 FROM payments_receipt") == []
    assert await payments.events("payment.completed.v1") == []
