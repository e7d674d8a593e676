"""Mẫu số 02, Phụ lục I, Thông tư 03/2025/TT-VPCP: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.

Body after Mẫu số 02 of Thông tư 01/2018/TT-VPCP (the dossier's applicant and request, the table of
what to supplement, the reason, whom to contact; signed by the officer who guides: NGƯỜI HƯỚNG DẪN).
Added: which supplement request this is and that the clock pauses from the slip and restarts from
zero on the new receipt (Điện Biên Điều 13.5.b).
"""

from __future__ import annotations

from pathlib import Path

from dvc_common.pdf import DEFAULT_FONT_DIR, Column, Signature
from dvc_intake.forms.common import applicant_lines, open_form, when
from dvc_intake.forms.model import SupplementRequest

TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
ITEM_COLUMNS = (
    Column("TT", 1, "C"),
    Column("Thành phần hồ sơ, nội dung cần bổ sung, hoàn thiện", 10),
    Column("Số lượng, hình thức", 4, "C"),
)


def render_supplement_request(slip: SupplementRequest, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    facts = slip.facts
    pdf = open_form(facts, "02", TITLE, f"(Yêu cầu bổ sung lần thứ {slip.round})", font_dir=font_dir)
    pdf.field("Hồ sơ của", facts.applicant.name)
    applicant_lines(pdf, facts.applicant)
    pdf.field("Nội dung yêu cầu giải quyết", facts.procedure_name)
    if slip.received_at is not None:
        pdf.field("Thời gian tiếp nhận hồ sơ", when(facts, slip.received_at))
    if slip.counted_from is not None and slip.counted_from != slip.received_at:
        pdf.field("Thời gian giải quyết được tính từ", when(facts, slip.counted_from), indent=5)
    pdf.paragraph("Yêu cầu ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
    pdf.grid(ITEM_COLUMNS, [[str(i), c.name, c.copies or ""] for i, c in enumerate(slip.items, start=1)])
    pdf.field("Lý do", slip.reason)
    pdf.paragraph(
        f"Thời gian giải quyết hồ sơ tạm dừng từ {when(facts, slip.requested_at)} và được tính lại từ đầu "
        "khi cơ quan lập Giấy tiếp nhận hồ sơ và hẹn trả kết quả bổ sung (cùng mã hồ sơ)."
    )
    contact = f"với {facts.officer.name} " if facts.officer else ""
    pdf.paragraph(
        f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ {contact}tại "
        f"{facts.letterhead.agency} để được hướng dẫn./."
    )
    pdf.gap(2)
    pdf.signatures(
        [Signature("Người hướng dẫn", facts.officer.name if facts.officer else None)], qr_url=facts.lookup_url
    )
    return pdf.to_bytes()
