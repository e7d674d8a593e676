"""Slips: Mẫu 01 on receipt (again after a supplement, with its round), 02 on a supplement request, 03
on rejection, 04 on extension, 05 on stop, and the biên lai on a bank-signed payment receipt; PDFs
whose every text line lies on the page, with the letterhead (superior body and agency from the agency
tree), the procedure's required components (not upload names), the officer, the Vietnamese
diacritics and the web look-up page of the QR code; stored with the dossier, downloadable by those
who may read it, once per event. The public look-up page answers without personal data."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from intake_support import AGENCY, BUILDING_PERMIT, OTHER_AGENCY, PDF, Intake

from dvc_common.events import (
    DOSSIER_EXTENDED,
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_STOPPED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    PAYMENT_RECEIPT_ISSUED,
    AgencyUpserted,
    CloudEvent,
    DossierExtended,
    DossierMilestone,
    DossierReceived,
    EventType,
    Payload,
    PaymentReceiptIssued,
    ProcedurePublished,
    ProcessingTime,
)
from dvc_common.pdf.inspection import misplaced_lines, plain_text, render_png
from dvc_intake import service
from dvc_intake.service.catalog import record_agency
from dvc_intake.slips import DEFAULT_FONT_DIR as FONT_DIR
from dvc_intake.slips import qr_matrix

RECEIVED_AT = datetime(2026, 3, 2, 9, 20, tzinfo=UTC)  # 16:20 Hà Nội time: counted from the next day
COUNTED_FROM = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # 07:00
APPOINTMENT = datetime(2026, 3, 24, 10, 0, tzinfo=UTC)  # 17:00
BASE = "https://dichvucong.laichau.gov.vn"
COMPONENTS = [
    "Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01)",
    "Bản sao giấy tờ chứng minh quyền sử dụng đất",
    "Bản vẽ thiết kế xây dựng",
]


def _event(kind: EventType[Any], payload: Payload, subject: str) -> CloudEvent:
    return CloudEvent(
        id=uuid.uuid4(),
        type=kind.ce_type,
        source="dvc-workflow",
        subject=subject,
        time=datetime.now(UTC),
        data=payload.model_dump(mode="json"),
        sequence=1,
        correlationid=subject,
    )


def _config(intake: Intake) -> service.SlipConfig:
    return service.SlipConfig(
        FONT_DIR, intake.app.state.limits.timezone, BASE, postal_fee_vnd=25000, place="Lai Châu"
    )


async def _produce(intake: Intake, event: CloudEvent) -> None:
    async with intake.app.state.runtime.transaction() as session:
        await service.produce_slip(session, intake.app.state.blobs, _config(intake), event)


async def _catalog(intake: Intake) -> None:
    """What identity and workflow publish: the agency tree and the procedure with its components."""
    now = datetime.now(UTC)
    async with intake.app.state.runtime.transaction() as session:
        for agency_id, name, parent in (
            ("000.00.00.H56", "Ủy ban nhân dân tỉnh Lai Châu", None),
            (AGENCY, "Sở Xây dựng tỉnh Lai Châu", "000.00.00.H56"),
        ):
            level = "province" if parent is None else "department"
            upserted = AgencyUpserted(
                agency_id=agency_id, name=name, level=level, parent_id=parent, active=True, updated_at=now
            )
            await record_agency(session, upserted)
        published = ProcedurePublished(
            code=BUILDING_PERMIT,
            name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
            field_name="Hoạt động xây dựng",
            agency_id=AGENCY,
            agency_name="Sở Xây dựng",
            processing_time=ProcessingTime(value=15, unit="working_days"),
            online_level="partial",
            components=COMPONENTS,
            revision="r-forms",
            result_delivery=["counter", "post"],
        )
        await service.record_procedure(session, published, published_at=now)


def _text(pdf: bytes, name: str, tmp_path: Path) -> str:
    assert render_png(pdf, tmp_path, name), "renders to an image"
    assert misplaced_lines(pdf) == [], f"{name}: a line of the slip is off the page or in its margin"
    return plain_text(pdf)


async def test_every_slip_of_a_dossier_renders_in_vietnamese_inside_the_page(
    intake: Intake, tmp_path: Path
) -> None:
    await _catalog(intake)
    owner = intake.citizen(f"cd-{uuid.uuid4().hex[:6]}")
    response = await intake.submit(
        headers=owner,
        files=[("Đơn đề nghị cấp phép.pdf", b"%PDF-1.4\n%%EOF\n", "")]
        + [(f"thanh-phan-{n}.pdf", PDF, "application/pdf") for n in range(2, len(COMPONENTS) + 1)],
        result_delivery="post",
        postal_address="Bản Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu",
    )
    code = response.json()["code"]
    received = _event(
        DOSSIER_RECEIVED,
        DossierReceived(
            code=code,
            procedure_code=BUILDING_PERMIT,
            agency_id=AGENCY,
            received_at=COUNTED_FROM,
            appointment_at=APPOINTMENT,
            appointment_rule="appointment.working_days",
            explanation="Tiếp nhận sau 15 giờ: tính từ 07:00 Thứ Ba 03/03/2026; cộng 15 ngày làm việc",
            supplement_count=0,
            recorded_at=RECEIVED_AT,
            officer_name="Trần Văn An",
        ),
        code,
    )
    await _produce(intake, received)
    await _produce(intake, received)  # redelivered: still one slip
    milestone = dict(code=code, procedure_code=BUILDING_PERMIT, agency_id=AGENCY, at=RECEIVED_AT)
    for kind, payload in (
        (
            DOSSIER_SUPPLEMENT_REQUESTED,
            DossierMilestone(
                **milestone,
                reason="Bản vẽ chưa thể hiện khoảng lùi",
                items=["Bản vẽ mặt bằng tầng trệt"],
                officer_name="Trần Văn An",
            ),
        ),
        (DOSSIER_RECEIVED, received_data := DossierReceived.model_validate(received.data)),
        (
            DOSSIER_EXTENDED,
            DossierExtended(
                code=code,
                procedure_code=BUILDING_PERMIT,
                agency_id=AGENCY,
                extended_at=RECEIVED_AT,
                previous_appointment_at=APPOINTMENT,
                appointment_at=datetime(2026, 3, 31, 10, 0, tzinfo=UTC),
                reason="Cần xác minh thực địa",
            ),
        ),
        (DOSSIER_REJECTED, DossierMilestone(**milestone, reason="Sai thẩm quyền giải quyết")),
        (DOSSIER_STOPPED, DossierMilestone(**milestone, reason="Theo đề nghị của người nộp hồ sơ")),
    ):
        if kind is DOSSIER_RECEIVED:  # received again after the supplement: a new receipt, round 1
            payload = received_data.model_copy(update={"supplement_count": 1})
        await _produce(intake, _event(kind, payload, code))

    listed = await intake.client.get(f"/api/v1/dossiers/{code}/slips", headers=owner)
    assert listed.status_code == 200, listed.text
    slips = listed.json()
    assert [s["form"] for s in slips] == ["01", "02", "01", "04", "03", "05"]
    assert slips[3]["title"] == "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"

    texts = []
    for number, slip in enumerate(slips):
        got = await intake.client.get(slip["url"], headers=owner)
        assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
        texts.append(_text(got.content, f"slip-{number}-{slip['form']}", tmp_path))

    receipt, request, again, apology, refusal, stop = texts
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
        "SỞ XÂY DỰNG TỈNH LAI CHÂU",
        "Lai Châu, ngày 02 tháng 03 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {code}",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Bình",
        "Nội dung yêu cầu giải quyết: Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        *COMPONENTS,
        "3. Thời gian giải quyết hồ sơ theo quy định: 15 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 16 giờ 20 phút, ngày 02 tháng 03 năm 2026",
        "Thời gian giải quyết được tính từ: 07 giờ 00 phút, ngày 03 tháng 03 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 24 tháng 03 năm 2026",
        "cộng 15 ngày làm việc",
        "6. Hình thức nhận kết quả: qua dịch vụ bưu chính công ích",
        "Địa chỉ nhận kết quả: Bản Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu",
        "Phí dịch vụ bưu chính công ích (người nộp trả): 25.000 đồng",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Văn An",
        f"{BASE}/tra-cuu/{code}",
    ):
        assert expected in receipt, expected
    assert "Đơn đề nghị cấp phép.pdf" not in receipt, "the components, not the upload names"
    assert "bổ sung lần" not in receipt
    assert "(Tiếp nhận hồ sơ bổ sung lần thứ 1)" in again and "Hồ sơ bổ sung lần thứ 1" in again
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "(Yêu cầu bổ sung lần thứ 1)",
        "Bản vẽ mặt bằng tầng trệt",
        "Lý do: Bản vẽ chưa thể hiện khoảng lùi",
        "NGƯỜI HƯỚNG DẪN",
        "Trần Văn An",
    ):
        assert expected in request, expected
    assert "Thời gian hẹn trả kết quả mới: 17 giờ 00 phút, ngày 31 tháng 03 năm 2026" in apology
    assert "Lý do: Cần xác minh thực địa" in apology
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in refusal and "Sai thẩm quyền giải quyết" in refusal
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in stop and "Theo đề nghị của người nộp hồ sơ" in stop

    # Officers of the handling agency read them; another citizen or agency gets 404.
    assert (
        await intake.client.get(slips[0]["url"], headers=intake.officer("one_stop_officer"))
    ).status_code == 200
    for headers in (intake.citizen("cd-stranger"), intake.officer("one_stop_officer", agency=OTHER_AGENCY)):
        assert (await intake.client.get(slips[0]["url"], headers=headers)).status_code == 404
        assert (await intake.client.get(f"/api/v1/dossiers/{code}/slips", headers=headers)).status_code == 404


async def test_the_bank_signed_receipt_becomes_a_printable_bien_lai(intake: Intake, tmp_path: Path) -> None:
    await _catalog(intake)
    owner_subject = f"cd-{uuid.uuid4().hex[:6]}"
    owner = intake.citizen(owner_subject)
    every_component = [(f"thanh-phan-{n}.pdf", PDF, "application/pdf") for n in range(1, len(COMPONENTS) + 1)]
    code = (await intake.submit(headers=owner, files=every_component)).json()["code"]
    document = {  # the GET_BILL receipt as payments verified it (the sandbox platform's shape)
        "SoChungTu": "CT0000777001",
        "KyHieu": "C1-10/NS",
        "MaThamChieu": "TT-260302-000001-1",
        "MaGiaoDich": "GD0000777001",
        "MaHoSo": code,
        "SoTien": 75000,
        "MaTienTe": "VND",
        "NgayNop": "2026-03-02T09:41:07+07:00",
        "NganHang": "VCB",
        "NoiDung": f"Nộp phí, lệ phí hồ sơ {code}",
        "ThongTinBienLai": {
            "MaHoSo": code,
            "TaiKhoanThuHuong": "7111.0.1053214",
            "TenTaiKhoanThuHuong": "Sở Xây dựng tỉnh Lai Châu",
            "MaNganHangThuHuong": "KBNN",
            "PhiLePhi": [{"LoaiPhiLePhi": "le_phi", "TenPhiLePhi": "Lệ phí cấp giấy phép", "SoTien": 75000}],
        },
    }
    issued = PaymentReceiptIssued(
        payment_id=f"TT-{uuid.uuid4().hex[:8]}",
        dossier_code=code,
        agency_id=AGENCY,
        payer_subject=owner_subject,
        receipt_number="CT0000777001",
        amount=75000,
        sha256="ab" * 32,
        url="/api/v1/payments/x/receipt",
        issued_at=datetime.now(UTC),
        document=document,
    )
    event = _event(PAYMENT_RECEIPT_ISSUED, issued, code)
    for _ in range(2):  # redelivered: one receipt, one biên lai
        async with intake.app.state.runtime.transaction() as session:
            await service.record_receipt(session, intake.app.state.blobs, _config(intake), issued, event.id)
    [listed] = (await intake.client.get(f"/api/v1/dossiers/{code}/receipts", headers=owner)).json()
    assert listed["pdf_url"]
    [mine] = (await intake.client.get("/api/v1/my/receipts", headers=owner)).json()
    assert mine["pdf_url"] == listed["pdf_url"]
    got = await intake.client.get(listed["pdf_url"], headers=owner)
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    text = _text(got.content, "bien-lai", tmp_path)
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "SỞ XÂY DỰNG TỈNH LAI CHÂU",
        "Số chứng từ: CT0000777001",
        f"Mã hồ sơ: {code}",
        "Người nộp tiền: Nguyễn Thị Bình",
        "Tổng số tiền: 75.000 đồng",
        "Số tiền bằng chữ: Bảy mươi lăm nghìn đồng",
        "Mã giao dịch: GD0000777001",
    ):
        assert expected in text, expected
    stranger = intake.citizen("cd-stranger")
    assert (await intake.client.get(listed["pdf_url"], headers=stranger)).status_code == 404


async def test_the_public_lookup_page_is_what_the_qr_opens(intake: Intake) -> None:
    owner = intake.citizen(f"cd-{uuid.uuid4().hex[:6]}")
    code = (await intake.submit(headers=owner, email="binh@example.vn")).json()["code"]
    page = await intake.client.get(f"/tra-cuu/{code}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f"Mã hồ sơ: {code}" in page.text and "Thời gian nộp hồ sơ" in page.text
    assert "Nguyễn Thị Bình" not in page.text and "binh@example.vn" not in page.text
    missing = await intake.client.get(f"/tra-cuu/{AGENCY}-260302-9999")
    assert missing.status_code == 404 and "Không tìm thấy hồ sơ" in missing.text
    assert (await intake.client.get("/tra-cuu/khong-phai-ma")).status_code == 422


def test_the_qr_code_encodes_the_lookup_address() -> None:
    matrix = qr_matrix(f"{BASE}/tra-cuu/000.00.14.H56-260302-0001")
    assert len(matrix) == len(matrix[0]) and len(matrix) >= 25  # version 2 or more, with a quiet zone
    assert any(any(row) for row in matrix)
