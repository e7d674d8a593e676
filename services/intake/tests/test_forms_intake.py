"""The forms intake issues (Mẫu 01–05 of Thông tư 03/2025/TT-VPCP and the biên lai) as a reader sees
them: every page rendered to PNG (kept in DVC_FORMS_PNG_DIR when set, to look at), every text line on
the page and out of the margins, every required field present with its value, the legal source in
the PDF's subject. Long names, addresses and reasons on purpose: they must wrap, not run off."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dvc_common.pdf import Letterhead, qr_matrix
from dvc_common.pdf.inspection import (
    drawn_qr_codes,
    misplaced_lines,
    page_count,
    pdf_metadata,
    plain_text,
    render_png,
)
from dvc_intake.forms import (
    Apology,
    Applicant,
    Component,
    LookupPage,
    LookupProblem,
    Officer,
    ReceiptSlip,
    Refusal,
    SlipFacts,
    StopNotice,
    SupplementRequest,
    from_bank_document,
    render_apology,
    render_lookup_page,
    render_lookup_problem,
    render_payment_receipt,
    render_receipt,
    render_refusal,
    render_stop_notice,
    render_supplement_request,
)

Look = Callable[[bytes, str], str]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.00.14.H56-260302-0001"
LOOKUP = f"https://dichvucong.laichau.gov.vn/tra-cuu/{CODE}"
HEAD = Letterhead(agency="Sở Xây dựng", superior="Ủy ban nhân dân tỉnh Lai Châu", place="Lai Châu")
PROCEDURE = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ (công trình không theo tuyến, khu vực đô thị)"
APPLICANT = Applicant(
    name="Nguyễn Thị Bình",
    address="Bản Sin Suối Hồ, xã Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu (gần trường tiểu học số 2)",
    phone="0912345678",
    email="binh.nguyen@example.vn",
)
OFFICER = Officer("Trần Văn An", "Công chức Bộ phận Một cửa")
COMPONENTS = [
    Component(
        "Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01, Phụ lục II Nghị định 15/2021/NĐ-CP)", "01 bản chính"
    ),
    Component(
        "Bản sao giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai", "01 bản sao"
    ),
    Component("Bản vẽ thiết kế xây dựng: mặt bằng, mặt cắt, mặt đứng chính, móng", "02 bộ", "Tỷ lệ 1/100"),
]


def _at(hour: int, minute: int, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ).astimezone(UTC)


def _facts(issued: datetime) -> SlipFacts:
    return SlipFacts(CODE, HEAD, PROCEDURE, APPLICANT, issued, TZ, LOOKUP, OFFICER)


@pytest.fixture
def look(tmp_path: Path) -> Look:
    """Render to PNG (to look at), check the layout, return the text."""
    directory = Path(os.environ.get("DVC_FORMS_PNG_DIR") or tmp_path)

    def looked_at(pdf: bytes, name: str) -> str:
        assert pdf.startswith(b"%PDF-")
        assert len(render_png(pdf, directory, name)) == page_count(pdf) >= 1
        assert misplaced_lines(pdf) == [], f"{name}: text off the page or in the margin"
        return plain_text(pdf)

    return looked_at


def _qr_opens_the_lookup_page(pdf: bytes) -> None:
    """The QR drawn on the page is the public web look-up page of the dossier (what a phone opens),
    and its address is printed beside it."""
    assert drawn_qr_codes(pdf) == [qr_matrix(LOOKUP, border=0)]
    assert LOOKUP in plain_text(pdf)


def _source(pdf: bytes, number: str) -> None:
    assert pdf_metadata(pdf)["Subject"] == (
        f"Mẫu số {number}, Phụ lục I, Thông tư 03/2025/TT-VPCP ngày 15/9/2025 (hướng dẫn Nghị định 118/2025/NĐ-CP)"
    )


def test_receipt_after_a_supplement_received_after_15h_by_post(look: Look) -> None:
    slip = ReceiptSlip(
        facts=_facts(_at(16, 20)),
        components=COMPONENTS,
        processing_time="15 ngày làm việc",
        received_at=_at(16, 20),
        counted_from=_at(7, 0, day=3),
        appointment_at=_at(17, 0, day=24),
        explanation="Tiếp nhận sau 15 giờ: tính từ 07:00 Thứ Ba 03/03/2026; cộng 15 ngày làm việc",
        delivery="post",
        postal_address="Bản Sin Suối Hồ, xã Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu",
        postal_fee_vnd=25000,
        supplement_round=2,
    )
    pdf = render_receipt(slip)
    text = look(pdf, "mau-01-bo-sung")
    _source(pdf, "01")
    _qr_opens_the_lookup_page(pdf)
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
        "SỞ XÂY DỰNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lai Châu, ngày 02 tháng 03 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {CODE}",
        "(Tiếp nhận hồ sơ bổ sung lần thứ 2)",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Bình",
        f"Địa chỉ: {APPLICANT.address}",
        "Số điện thoại: 0912345678; Thư điện tử: binh.nguyen@example.vn",
        f"Nội dung yêu cầu giải quyết: {PROCEDURE}",
        "Bản sao giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai",
        "01 bản chính",
        "02 bộ",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định: 15 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 16 giờ 20 phút, ngày 02 tháng 03 năm 2026",
        "Thời gian giải quyết được tính từ: 07 giờ 00 phút, ngày 03 tháng 03 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 24 tháng 03 năm 2026",
        "Cách tính thời hạn: Tiếp nhận sau 15 giờ",
        "6. Hình thức nhận kết quả: qua dịch vụ bưu chính công ích",
        "Địa chỉ nhận kết quả: Bản Sin Suối Hồ, xã Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu",
        "Phí dịch vụ bưu chính công ích (người nộp trả): 25.000 đồng",
        "Hồ sơ bổ sung lần thứ 2",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Văn An",
        LOOKUP,
    ):
        assert expected in text, expected
    assert "Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01, Phụ lục II Nghị định 15/2021/NĐ-CP)" in text


def test_first_receipt_in_office_hours_says_no_round_and_no_separate_counting_start(look: Look) -> None:
    at = _at(8, 15)
    slip = ReceiptSlip(
        _facts(at), COMPONENTS[:1], "15 ngày làm việc", at, at, _at(17, 0, day=23), delivery="counter"
    )
    text = look(render_receipt(slip), "mau-01")
    assert "4. Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 02 tháng 03 năm 2026" in text
    assert "6. Hình thức nhận kết quả: trực tiếp tại Bộ phận Một cửa" in text
    assert "tính từ" not in text and "bổ sung lần" not in text and "Địa chỉ nhận kết quả" not in text


def test_a_receipt_without_a_chosen_delivery_names_the_ways_the_procedure_offers(look: Look) -> None:
    at = _at(8, 15)
    slip = ReceiptSlip(
        _facts(at), COMPONENTS[:1], None, at, at, _at(17, 0, day=23), offered_delivery=("counter", "post")
    )
    text = look(render_receipt(slip), "mau-01-chua-chon")
    assert (
        "5. Hình thức nhận kết quả: chưa chọn, chọn khi nhận kết quả (trực tiếp tại Bộ phận Một cửa; "
        "qua dịch vụ bưu chính công ích)"
    ) in text


def test_a_long_component_list_continues_on_the_next_page_inside_the_margins(look: Look) -> None:
    many = [
        Component(
            f"Giấy tờ số {i}: bản sao có chứng thực hợp đồng, văn bản liên quan đến thửa đất", "01 bản sao"
        )
        for i in range(1, 41)
    ]
    at = _at(9, 0)
    pdf = render_receipt(ReceiptSlip(_facts(at), many, None, at, at, _at(17, 0, day=23)))
    text = look(pdf, "mau-01-nhieu-trang")
    assert page_count(pdf) >= 2
    assert "Giấy tờ số 40:" in text and LOOKUP in text
    assert "2. Số lượng hồ sơ" in text and "3. Thời gian nhận hồ sơ" in text  # no legal time: no gap
    assert text.count("Tên giấy tờ") >= 2  # the headings repeat on the next page


def test_supplement_request_lists_what_to_supplement_and_why(look: Look) -> None:
    slip = SupplementRequest(
        facts=_facts(_at(10, 30, day=5)),
        received_at=_at(6, 48),
        requested_at=_at(10, 30, day=5),
        items=[Component("Bản vẽ mặt bằng tầng trệt có chữ ký của chủ đầu tư và đơn vị thiết kế", "02 bản")],
        reason="Bản vẽ đã nộp không thể hiện kích thước lô đất và khoảng lùi so với chỉ giới xây dựng theo quy hoạch chi tiết được duyệt",
        round=1,
        counted_from=_at(7, 0),
    )
    pdf = render_supplement_request(slip)
    text = look(pdf, "mau-02")
    _source(pdf, "02")
    _qr_opens_the_lookup_page(pdf)
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        f"Mã hồ sơ: {CODE}",
        "(Yêu cầu bổ sung lần thứ 1)",
        "Hồ sơ của: Nguyễn Thị Bình",
        f"Nội dung yêu cầu giải quyết: {PROCEDURE}",
        "Thời gian tiếp nhận hồ sơ: 06 giờ 48 phút, ngày 02 tháng 03 năm 2026",
        "Thời gian giải quyết được tính từ: 07 giờ 00 phút, ngày 02 tháng 03 năm 2026",
        "Bản vẽ mặt bằng tầng trệt có chữ ký của chủ đầu tư và đơn vị thiết kế",
        f"Lý do: {slip.reason}",
        "tạm dừng từ 10 giờ 30 phút, ngày 05 tháng 03 năm 2026",
        "liên hệ với Trần Văn An",
        "NGƯỜI HƯỚNG DẪN",
        LOOKUP,
    ):
        assert expected in text, expected


def test_refusal_gives_the_reason(look: Look) -> None:
    slip = Refusal(
        _facts(_at(9, 5)),
        _at(9, 5),
        "Thửa đất thuộc khu vực đã có quyết định thu hồi đất; thẩm quyền cấp phép thuộc Ủy ban nhân dân cấp xã",
        legal_basis="khoản 3 Điều 89 Luật Xây dựng",
    )
    pdf = render_refusal(slip)
    text = look(pdf, "mau-03")
    _source(pdf, "03")
    _qr_opens_the_lookup_page(pdf)
    for expected in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Bình",
        "Căn cứ khoản 3 Điều 89 Luật Xây dựng, Sở Xây dựng không tiếp nhận, giải quyết hồ sơ này",
        slip.reason,
        "Thời gian lập phiếu: 09 giờ 05 phút, ngày 02 tháng 03 năm 2026",
        "Xin thông báo để ông/bà được biết và thực hiện./.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        LOOKUP,
    ):
        assert expected in text, expected


def test_apology_gives_the_reason_and_the_new_date(look: Look) -> None:
    letter = Apology(
        _facts(_at(14, 0, day=20)),
        received_at=_at(8, 15),
        previous_appointment_at=_at(17, 0, day=23),
        appointment_at=_at(17, 0, day=30),
        reason="Cần xác minh thực địa ranh giới thửa đất với hộ liền kề trước khi trình ký giấy phép",
        signer="Lê Văn Cường",
    )
    pdf = render_apology(letter)
    text = look(pdf, "mau-04")
    _source(pdf, "04")
    _qr_opens_the_lookup_page(pdf)
    for expected in (
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "Kính gửi: Nguyễn Thị Bình",
        f"Ngày 02/03/2026, Sở Xây dựng tiếp nhận hồ sơ của ông/bà (mã hồ sơ {CODE})",
        "Thời gian hẹn trả kết quả ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả: 17 giờ 00 phút, ngày 23 tháng 03 năm 2026",
        f"Lý do: {letter.reason}",
        "xin lỗi ông/bà",
        "Thời gian hẹn trả kết quả mới: 17 giờ 00 phút, ngày 30 tháng 03 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN",
        "Lê Văn Cường",
        "Nơi nhận:",
        LOOKUP,
    ):
        assert expected in text, expected


def test_stop_notice_gives_the_moment_and_the_reason(look: Look) -> None:
    notice = StopNotice(
        _facts(_at(15, 45, day=9)),
        received_at=_at(8, 15),
        stopped_at=_at(15, 45, day=9),
        reason="Theo đề nghị dừng giải quyết của người nộp hồ sơ ngày 09/03/2026",
    )
    pdf = render_stop_notice(notice)
    text = look(pdf, "mau-05")
    _source(pdf, "05")
    _qr_opens_the_lookup_page(pdf)
    for expected in (
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Nguyễn Thị Bình",
        "Sở Xây dựng thông báo dừng giải quyết hồ sơ nêu trên.",
        "Thời điểm dừng giải quyết: 15 giờ 45 phút, ngày 09 tháng 03 năm 2026",
        f"Lý do: {notice.reason}",
        "THỦ TRƯỞNG CƠ QUAN",
        LOOKUP,
    ):
        assert expected in text, expected


def test_payment_receipt_shows_the_bank_signed_document(look: Look) -> None:
    document = {  # the shape the national payment platform's GET_BILL returns (sandbox and provinces)
        "SoChungTu": "CT0000123456",
        "KyHieu": "C1-10/NS",
        "MaThamChieu": "TT-260302-000001-1",
        "MaGiaoDich": "GD0000123456",
        "MaHoSo": CODE,
        "SoTien": 100000,
        "MaTienTe": "VND",
        "NgayNop": "2026-03-02T09:41:07+07:00",
        "NganHang": "VCB",
        "NoiDung": f"Nộp phí, lệ phí hồ sơ {CODE}",
        "ThongTinBienLai": {
            "MaHoSo": CODE,
            "TaiKhoanThuHuong": "7111.0.1053214",
            "TenTaiKhoanThuHuong": "Sở Xây dựng tỉnh Lai Châu",
            "MaNganHangThuHuong": "KBNN Lai Châu",
            "PhiLePhi": [
                {
                    "LoaiPhiLePhi": "le_phi",
                    "TenPhiLePhi": "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ",
                    "SoTien": 75000,
                },
                {
                    "LoaiPhiLePhi": "buu_chinh",
                    "TenPhiLePhi": "Cước dịch vụ bưu chính công ích trả kết quả",
                    "SoTien": 25000,
                },
            ],
        },
    }
    receipt = from_bank_document(
        document, letterhead=HEAD, tz=TZ, payer_name="Nguyễn Thị Bình", sha256="ef" * 32
    )
    pdf = render_payment_receipt(receipt)
    text = look(pdf, "bien-lai")
    assert "GET_BILL" in pdf_metadata(pdf)["Subject"]
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Ký hiệu: C1-10/NS",
        "Số chứng từ: CT0000123456",
        f"Mã hồ sơ: {CODE}",
        "Người nộp tiền: Nguyễn Thị Bình",
        "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ",
        "75.000",
        "25.000",
        "Tổng số tiền: 100.000 đồng",
        "Số tiền bằng chữ: Một trăm nghìn đồng",
        "Thời gian nộp: 09 giờ 41 phút, ngày 02 tháng 03 năm 2026",
        "Mã giao dịch: GD0000123456",
        "Tài khoản thụ hưởng: 7111.0.1053214 — Sở Xây dựng tỉnh Lai Châu — KBNN Lai Châu",
        "ef" * 32,
    ):
        assert expected in text, expected


def test_lookup_page_reads_on_a_phone_and_shows_no_personal_data() -> None:
    page = LookupPage(
        code=CODE,
        procedure_name=PROCEDURE,
        agency_name="Sở Xây dựng <Lai Châu>",
        status=4,
        status_name="Đang xử lý",
        submitted_at=_at(7, 50),
        received_at=_at(8, 15),
        appointment_at=_at(17, 0, day=23),
        tz=TZ,
    )
    html = render_lookup_page(page)
    assert '<html lang="vi">' in html and 'name="viewport" content="width=device-width' in html
    for expected in (
        f"Mã hồ sơ: {CODE}",
        "Đang xử lý",
        PROCEDURE,
        "Sở Xây dựng &lt;Lai Châu&gt;",  # escaped
        "Thời gian tiếp nhận hồ sơ</dt><dd>08 giờ 15 phút, ngày 02 tháng 03 năm 2026",
        "Thời gian hẹn trả kết quả</dt><dd>17 giờ 00 phút, ngày 23 tháng 03 năm 2026",
    ):
        assert expected in html, expected
    problem = render_lookup_problem(LookupProblem("Không tìm thấy hồ sơ", "Kiểm tra lại mã hồ sơ.", CODE))
    assert "Không tìm thấy hồ sơ" in problem and CODE in problem
