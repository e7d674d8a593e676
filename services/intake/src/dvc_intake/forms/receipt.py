"""Mẫu số 01, Phụ lục I, Thông tư 03/2025/TT-VPCP: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.

Body after Mẫu số 01 of Thông tư 01/2018/TT-VPCP (applicant, request, numbered items 1–6: components
table, number of sets, legal processing time, receipt time, return time, where the result is
received; the applicant's and the receiving officer's signatures). Added where the provinces require
it: the counting start when it differs from the receipt time (Điện Biên Điều 13.1), the explanation of
the deadline, the postal address and fee (Điện Biên Điều 14.3), the supplement round of a new receipt
after a supplement (Điện Biên Điều 13.5.b), and the QR of the public look-up page.
"""

from __future__ import annotations

from pathlib import Path

from dvc_common.pdf import DEFAULT_FONT_DIR, Column, FormPdf, Signature
from dvc_common.pdf import text as vn
from dvc_intake.forms.common import DELIVERY_LABELS, applicant_lines, open_form, when
from dvc_intake.forms.model import ReceiptSlip

TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
COMPONENT_COLUMNS = (
    Column("TT", 1, "C"),
    Column("Tên giấy tờ", 9),
    Column("Số lượng, hình thức", 3, "C"),
    Column("Ghi chú", 3),
)


def render_receipt(slip: ReceiptSlip, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    facts = slip.facts
    rounds = [f"(Tiếp nhận hồ sơ bổ sung lần thứ {slip.supplement_round})"] if slip.supplement_round else []
    pdf = open_form(facts, "01", TITLE, *rounds, font_dir=font_dir)
    pdf.field("Cơ quan tiếp nhận", facts.letterhead.agency)
    pdf.field("Tiếp nhận hồ sơ của", facts.applicant.name)
    applicant_lines(pdf, facts.applicant)
    pdf.field("Nội dung yêu cầu giải quyết", facts.procedure_name)
    number = iter(range(1, 10))
    pdf.paragraph(f"{next(number)}. Thành phần hồ sơ nộp gồm:")
    rows = [[str(i), c.name, c.copies or "", c.note or ""] for i, c in enumerate(slip.components, start=1)]
    pdf.grid(COMPONENT_COLUMNS, rows)
    pdf.field(f"{next(number)}. Số lượng hồ sơ", f"{slip.sets:02d} (bộ)")
    if slip.processing_time:
        pdf.field(f"{next(number)}. Thời gian giải quyết hồ sơ theo quy định", slip.processing_time)
    pdf.field(f"{next(number)}. Thời gian nhận hồ sơ", when(facts, slip.received_at))
    if slip.counted_from != slip.received_at:
        pdf.field("Thời gian giải quyết được tính từ", when(facts, slip.counted_from), indent=5)
    pdf.field(f"{next(number)}. Thời gian trả kết quả giải quyết hồ sơ", when(facts, slip.appointment_at))
    if slip.explanation:
        pdf.field("Cách tính thời hạn", slip.explanation, indent=5)
    _delivery(pdf, slip, next(number))
    if slip.supplement_round:
        pdf.paragraph(
            f"Hồ sơ bổ sung lần thứ {slip.supplement_round}, cùng mã số hồ sơ với Giấy tiếp nhận hồ sơ và hẹn "
            "trả kết quả trước đó; thời gian giải quyết được tính lại từ đầu."
        )
    pdf.gap(2)
    officer = facts.officer.name if facts.officer else None
    pdf.signatures(
        [Signature("Người nộp hồ sơ", facts.applicant.name), Signature("Người tiếp nhận hồ sơ", officer)],
        qr_url=facts.lookup_url,
    )
    return pdf.to_bytes()


def _delivery(pdf: FormPdf, slip: ReceiptSlip, number: int) -> None:
    """Where the result is received (item 6 of the 2018 form); not chosen at submission: the ways the
    procedure offers, chosen when the result is returned (the catalog's default: at the counter)."""
    if slip.delivery is None:
        offered = "; ".join(DELIVERY_LABELS.get(d, d) for d in slip.offered_delivery or ("counter",))
        pdf.field(f"{number}. Hình thức nhận kết quả", f"chưa chọn, chọn khi nhận kết quả ({offered})")
        return
    pdf.field(f"{number}. Hình thức nhận kết quả", DELIVERY_LABELS.get(slip.delivery, slip.delivery))
    if slip.delivery == "post":
        pdf.field("Địa chỉ nhận kết quả", slip.postal_address or "", indent=5)
        fee = (
            vn.vnd(slip.postal_fee_vnd) if slip.postal_fee_vnd else "theo bảng giá dịch vụ bưu chính công ích"
        )
        pdf.field("Phí dịch vụ bưu chính công ích (người nộp trả)", fee, indent=5)
