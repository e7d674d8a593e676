"""What the national portal's record says beyond the status (issue 15): the fees paid
(DanhSachLePhi), the result documents (DanhSachGiayToKetQua), the files of each supplement round
(TaiLieuNop), and the steps that keep the status (assign, forward, send back) in the processing
history, in their place among the status changes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sync_support import AGENCY, PROCEDURE, Harness, life, new_code, procedure
from test_sync_national_jobs import drain

from dvc_common.events import (
    DossierResubmitted,
    DossierStatusChanged,
    FeeLine,
    PaymentCompleted,
    PaymentRequested,
    ProcessingStep,
    SubmittedFile,
)
from dvc_common.events import (
    NationalStatus as S,
)
from dvc_common.events.dossier import DossierStepChanged
from dvc_sync_national.service import tracking
from dvc_sync_national.service.jobs import Dispatch


def step_kept(code: str, status: S, action: str, content: str, minutes: int) -> DossierStepChanged:
    return DossierStepChanged(
        code=code,
        procedure_code=PROCEDURE,
        agency_id=AGENCY,
        status=status,
        status_name=status.label_vi,
        action=action,
        changed_at=datetime.now(UTC) + timedelta(minutes=minutes),
        step=ProcessingStep(officer_name="Lò Thị Thu", officer_position="Trưởng phòng", content=content),
    )


def moved(code: str, status: S, previous: S, minutes: int) -> DossierStatusChanged:
    return DossierStatusChanged(
        code=code,
        procedure_code=PROCEDURE,
        agency_id=AGENCY,
        status=status,
        status_name=status.label_vi,
        previous_status=previous,
        changed_at=datetime.now(UTC) + timedelta(minutes=minutes),
        step=ProcessingStep(officer_name="Trần Thị Bình", content=status.label_vi),
    )


async def record_step(sync: Harness, sequence: int, changed: DossierStepChanged) -> None:
    async with sync.uow() as session:
        await tracking.record_step(session, changed, event_id=uuid.uuid4(), sequence=sequence)


def current(sync: Harness, code: str) -> dict[str, Any]:
    record = sync.store.get(code)
    assert record is not None
    found: dict[str, Any] = record["current"]
    return found


async def test_steps_that_keep_the_status_reach_the_processing_history_in_order(sync: Harness) -> None:
    code = new_code()
    await sync.open(code)
    opened = life(code, [S.NEW, S.RECEIVED, S.PROCESSING])
    dispatch = Dispatch(sync.uow, sync.portal, sync.settings)
    # The assignment (sequence 4) arrives before the change to 4 (sequence 3): it waits for it.
    await sync.record(opened[:2])
    await record_step(sync, 4, step_kept(code, S.PROCESSING, "assign", "Phân công xử lý: Lò Văn Tâm", 5))
    await drain(dispatch)
    assert sync.portal_statuses(code) == ([1, 2], [2])
    # The change to 4, a hand-over within 4 and the change to 6 arrive together: one round sends
    # the records 4 and 6, and the steps in their order (4, 4, 4, 6), not the kept ones last.
    await sync.record(opened[2:])
    await record_step(sync, 5, step_kept(code, S.PROCESSING, "forward", "Chuyển bước «Xem xét, trình ký»", 6))
    await sync.record([(6, moved(code, S.FINANCIAL_OBLIGATION, S.PROCESSING, 7))])
    await drain(dispatch)
    versions, steps = sync.portal_statuses(code)
    assert versions == [1, 2, 4, 6], "a step that keeps the status sends no new record version"
    assert steps == [2, 4, 4, 4, 6]
    record = sync.store.get(code)
    assert record is not None
    contents = [s["step"]["NoiDungXuLy"] for s in record["steps"]]
    assert contents[2:4] == ["Phân công xử lý: Lò Văn Tâm", "Chuyển bước «Xem xét, trình ký»"]
    assert record["steps"][2]["step"]["NguoiXuLy"] == "Lò Thị Thu"
    assert (await sync.dossier(code))["pending"] == 0


async def test_the_record_carries_supplement_files_fees_paid_and_result_documents(sync: Harness) -> None:
    code = new_code()
    await sync.open(code)
    async with sync.uow() as session:
        await tracking.record_procedure(
            session, procedure().model_copy(update={"result_documents": ["Giấy phép xây dựng"]})
        )
    dispatch = Dispatch(sync.uow, sync.portal, sync.settings)
    await sync.record(life(code, [S.NEW, S.RECEIVED, S.PROCESSING]))
    await sync.record([(4, moved(code, S.SUPPLEMENT_REQUESTED, S.PROCESSING, 4))])
    await drain(dispatch)
    assert [d["TenTepDinhKem"] for d in current(sync, code)["TaiLieuNop"]] == ["don.pdf"]
    async with sync.uow() as session:
        await tracking.record_supplement(
            session,
            DossierResubmitted(
                code=code, procedure_code=PROCEDURE, agency_id=AGENCY, resubmitted_at=datetime.now(UTC),
                supplement_round=1,
                files=[SubmittedFile(name="ban-ve-bo-sung.pdf", content_type="application/pdf", size=9, sha256="1" * 64)],
            ),
        )  # fmt: skip
    await sync.record([(5, moved(code, S.PROCESSING, S.SUPPLEMENT_REQUESTED, 5))])
    await sync.record([(6, moved(code, S.FINANCIAL_OBLIGATION, S.PROCESSING, 6))])
    async with sync.uow() as session:
        lines = [
            FeeLine(kind="le_phi", name="Lệ phí cấp giấy phép xây dựng", amount=75_000),
            FeeLine(kind="buu_chinh", name="Phí dịch vụ bưu chính trả kết quả", amount=25_000),
        ]
        await tracking.record_fees_requested(
            session,
            PaymentRequested(
                payment_id="TT-1", dossier_code=code, agency_id=AGENCY, procedure_code=PROCEDURE,
                amount=100_000, fee_lines=lines, requested_at=datetime.now(UTC),
            ),
        )  # fmt: skip
    await drain(dispatch)
    at_6 = current(sync, code)
    assert [d["TenTepDinhKem"] for d in at_6["TaiLieuNop"]] == ["don.pdf", "ban-ve-bo-sung.pdf"]
    assert at_6["DanhSachLePhi"] == [], "asked, not paid yet"
    async with sync.uow() as session:
        await tracking.record_fees_paid(
            session,
            PaymentCompleted(
                payment_id="TT-1", dossier_code=code, agency_id=AGENCY, amount=100_000,
                paid_at=datetime.now(UTC), transaction_id="BL-1", method="cash",
            ),
        )  # fmt: skip
    await sync.record([(7, moved(code, S.PROCESSING, S.FINANCIAL_OBLIGATION, 7))])
    await drain(dispatch)
    at_4 = current(sync, code)
    assert at_4["DanhSachLePhi"] == [
        {"TenPhiLePhi": "Lệ phí cấp giấy phép xây dựng", "MaPhiLePhi": "le_phi", "Gia": "75000"},
        {"TenPhiLePhi": "Phí dịch vụ bưu chính trả kết quả", "MaPhiLePhi": "buu_chinh", "Gia": "25000"},
    ]
    assert at_4["DanhSachGiayToKetQua"] == []
    await sync.record([(8, moved(code, S.RESOLVED, S.PROCESSING, 8))])
    await drain(dispatch)
    assert current(sync, code)["DanhSachGiayToKetQua"] == [
        {"GiayToId": "1", "TenGiayTo": "Giấy phép xây dựng"}
    ]
    assert sync.portal_statuses(code)[0] == [1, 2, 4, 5, 4, 6, 4, 9]
