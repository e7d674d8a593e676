"""Slips: Mẫu 01 on receipt, Mẫu 02 on a supplement request, Mẫu 03 on rejection; PDFs whose every text
line lies on the page and whose text has the Vietnamese diacritics, the dossier code and the look-up
address of the QR code; stored with the dossier, downloadable by those who may read it, once per event."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from intake_support import AGENCY, OTHER_AGENCY, Intake

from dvc_common.events import CloudEvent
from dvc_common.events.catalog import (
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DossierMilestone,
    DossierReceived,
    EventType,
)
from dvc_common.pdf.inspection import misplaced_lines, plain_text
from dvc_intake import service
from dvc_intake.slips import DEFAULT_FONT_DIR as FONT_DIR
from dvc_intake.slips import qr_matrix

RECEIVED_AT = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)  # 08:15 Hà Nội time
APPOINTMENT = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)  # 17:00


def _event(kind: EventType[Any], payload: DossierReceived | DossierMilestone) -> CloudEvent:
    return CloudEvent(
        id=uuid.uuid4(),
        type=kind.ce_type,
        source="dvc-workflow",
        subject=payload.code,
        time=datetime.now(UTC),
        data=payload.model_dump(mode="json"),
        sequence=1,
        correlationid=payload.code,
    )


async def _produce(intake: Intake, event: CloudEvent) -> None:
    config = service.SlipConfig(
        FONT_DIR, intake.app.state.limits.timezone, "https://dichvucong.laichau.gov.vn", postal_fee_vnd=25000
    )
    async with intake.app.state.runtime.transaction() as session:
        await service.produce_slip(session, intake.app.state.blobs, config, event)


def _text(pdf: bytes) -> str:
    assert misplaced_lines(pdf) == [], "a line of the slip is off the page or in its margin"
    return plain_text(pdf)


async def test_receipt_supplement_and_rejection_slips_render_in_vietnamese(intake: Intake) -> None:
    owner = intake.citizen(f"cd-{uuid.uuid4().hex[:6]}")
    response = await intake.submit(
        headers=owner,
        files=[("Đơn đề nghị cấp phép.pdf", b"%PDF-1.4\n%%EOF\n", "")],
        result_delivery="post",
        postal_address="Bản Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu",
    )
    code = response.json()["code"]
    received = _event(
        DOSSIER_RECEIVED,
        DossierReceived(
            code=code,
            procedure_code="1.003560.000.00.00.H56",
            agency_id=AGENCY,
            received_at=RECEIVED_AT,
            appointment_at=APPOINTMENT,
            appointment_rule="appointment.working_days",
            explanation="Tiếp nhận lúc 08:15 Thứ Hai 02/03/2026; cộng 15 ngày làm việc",
            supplement_count=0,
        ),
    )
    await _produce(intake, received)
    await _produce(intake, received)  # redelivered: still one slip
    milestone = dict(code=code, procedure_code="1.003560.000.00.00.H56", agency_id=AGENCY, at=RECEIVED_AT)
    await _produce(
        intake,
        _event(
            DOSSIER_SUPPLEMENT_REQUESTED,
            DossierMilestone(**milestone, reason="Thiếu bản vẽ mặt bằng tầng trệt"),
        ),
    )
    await _produce(
        intake, _event(DOSSIER_REJECTED, DossierMilestone(**milestone, reason="Sai thẩm quyền giải quyết"))
    )

    listed = await intake.client.get(f"/api/v1/dossiers/{code}/slips", headers=owner)
    assert listed.status_code == 200, listed.text
    slips = listed.json()
    assert [s["form"] for s in slips] == ["01", "02", "03"]

    texts = {}
    for slip in slips:
        got = await intake.client.get(slip["url"], headers=owner)
        assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
        assert got.content.startswith(b"%PDF-")
        texts[slip["form"]] = _text(got.content)

    receipt = texts["01"]
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert f"Mã hồ sơ: {code}" in receipt
    assert "Nguyễn Thị Bình" in receipt
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in receipt
    assert "Đơn đề nghị cấp phép.pdf" in receipt
    assert "Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 02 tháng 03 năm 2026" in receipt
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 23 tháng 03 năm 2026" in receipt
    assert "cộng 15 ngày làm việc" in receipt
    assert f"https://dichvucong.laichau.gov.vn/api/v1/lookup/{code}" in receipt
    assert "Hình thức nhận kết quả: qua dịch vụ bưu chính công ích" in receipt
    assert "Địa chỉ nhận kết quả: Bản Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu" in receipt
    assert "Phí dịch vụ bưu chính công ích (người nộp trả): 25.000 đồng" in receipt
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in texts["02"]
    assert "Thiếu bản vẽ mặt bằng tầng trệt" in texts["02"]
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in texts["03"]
    assert "Sai thẩm quyền giải quyết" in texts["03"]

    # Officers of the handling agency read them; another citizen or agency gets 404.
    assert (
        await intake.client.get(slips[0]["url"], headers=intake.officer("one_stop_officer"))
    ).status_code == 200
    for headers in (intake.citizen("cd-stranger"), intake.officer("one_stop_officer", agency=OTHER_AGENCY)):
        assert (await intake.client.get(slips[0]["url"], headers=headers)).status_code == 404
        assert (await intake.client.get(f"/api/v1/dossiers/{code}/slips", headers=headers)).status_code == 404


def test_the_qr_code_encodes_the_lookup_address() -> None:
    matrix = qr_matrix("https://dichvucong.laichau.gov.vn/api/v1/lookup/000.00.14.H56-260302-0001")
    assert len(matrix) == len(matrix[0]) and len(matrix) >= 25  # version 2 or more, with a quiet zone
    assert any(any(row) for row in matrix)
