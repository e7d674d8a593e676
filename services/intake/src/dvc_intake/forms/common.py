"""What the slips share: their legal source, the opening (letterhead, title, code), the applicant's
lines, the delivery wording and the QR of the public look-up page.

Source of the templates: Nghị định 118/2025/NĐ-CP (in force 01/7/2025; it replaced Nghị định
61/2018/NĐ-CP and 107/2021/NĐ-CP, and is what Điện Biên Điều 12 cites) is guided by Thông tư
03/2025/TT-VPCP of 15/9/2025, whose Phụ lục I numbers and names the forms: 01 Giấy tiếp nhận hồ sơ và
hẹn trả kết quả, 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, 03 Phiếu từ chối tiếp nhận giải quyết hồ
sơ, 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết, 05 Thông báo dừng giải quyết hồ sơ, 06
Phiếu kiểm soát quá trình giải quyết hồ sơ, 07 Sổ theo dõi hồ sơ. The numbering and titles follow that
appendix. Its drawings were not available to us; the body of each form follows the layout of the
corresponding form of Thông tư 01/2018/TT-VPCP (Mẫu 01–06 there: 04 was the Phiếu xin lỗi và hẹn lại
ngày trả kết quả, 05 the control slip, 06 the register) as provincial systems reproduce it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from dvc_common.pdf import DEFAULT_FONT_DIR, FormPdf
from dvc_common.pdf import text as vn
from dvc_intake.forms.model import Applicant, SlipFacts

GUIDANCE = "Phụ lục I, Thông tư 03/2025/TT-VPCP ngày 15/9/2025 (hướng dẫn Nghị định 118/2025/NĐ-CP)"

DELIVERY_LABELS = {
    "online": "trực tuyến (bản điện tử có xác thực, vào kho dữ liệu của người nộp)",
    "counter": "trực tiếp tại Bộ phận Một cửa",
    "post": "qua dịch vụ bưu chính công ích",
}


def source(number: str) -> str:
    return f"Mẫu số {number}, {GUIDANCE}"


def open_form(
    facts: SlipFacts, number: str, title: str, *subtitles: str, font_dir: Path = DEFAULT_FONT_DIR
) -> FormPdf:
    """A new form of `facts`' dossier: letterhead, title, the dossier code under it."""
    pdf = FormPdf(
        title=f"Mẫu số {number} — {title.capitalize()} — {facts.code}",
        source=source(number),
        form_label=f"Mẫu số {number}",
        keywords=(facts.code, f"Mẫu số {number}"),
        font_dir=font_dir,
        created_at=facts.issued_at,
    )
    pdf.letterhead(facts.letterhead, facts.issued_at.astimezone(facts.tz).date())
    pdf.heading(title, f"Mã hồ sơ: {facts.code}", *subtitles)
    return pdf


def applicant_lines(pdf: FormPdf, applicant: Applicant) -> None:
    if applicant.address:
        pdf.field("Địa chỉ", applicant.address)
    contact = [f"Số điện thoại: {applicant.phone}"] if applicant.phone else []
    contact += [f"Thư điện tử: {applicant.email}"] if applicant.email else []
    if contact:
        pdf.paragraph("; ".join(contact))


def when(facts: SlipFacts, at: datetime) -> str:
    return vn.instant(at, facts.tz)
