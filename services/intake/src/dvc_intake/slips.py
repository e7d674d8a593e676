"""The slips intake produces (domain-rules §3), as PDF in Vietnamese with a QR code of the dossier:
Mẫu 01 receipt and appointment, Mẫu 02 supplement request, Mẫu 03 rejection.

fpdf2 with a TrueType font that has the Vietnamese glyphs (DejaVu Sans: Debian `fonts-dejavu-core`,
directory set by `DVC_INTAKE_FONT_DIR`); the font is embedded (subset) so the text extracts exactly.
The QR code (segno) carries the public look-up address of the dossier code, drawn as vector squares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import segno
from fpdf import FPDF

SlipForm = Literal["01", "02", "03"]
TITLES: dict[str, str] = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
}
DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class SlipData:
    form: SlipForm
    code: str
    agency_name: str
    procedure_name: str
    applicant_name: str
    at: datetime  # receipt (01) or the decision's instant (02, 03)
    lookup_url: str
    documents: list[str] = field(default_factory=list)
    appointment_at: datetime | None = None
    explanation: str | None = None
    reason: str | None = None
    result_delivery: str | None = None
    postal_address: str | None = None
    postal_fee_vnd: int = 0


def _when(instant: datetime, tz: ZoneInfo) -> str:
    local = instant.astimezone(tz)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def render(slip: SlipData, *, font_dir: Path = DEFAULT_FONT_DIR, tz: ZoneInfo) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(f"Mẫu {slip.form} — {slip.code}")
    pdf.set_creator("DVC tỉnh — Tiếp nhận hồ sơ")
    pdf.add_font("DejaVu", "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(font_dir / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font("DejaVu", "", 9)
    pdf.cell(width, 5, f"Mẫu số {slip.form}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(width / 2, 5, slip.agency_name.upper(), align="C", new_x="RIGHT", new_y="TOP")
    pdf.multi_cell(width / 2, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", align="C")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(width, 7, TITLES[slip.form], align="C")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(width, 6, f"Mã hồ sơ: {slip.code}", align="C")
    pdf.ln(4)

    lines: list[str] = []
    if slip.form == "01":
        lines += [
            f"{slip.agency_name} tiếp nhận hồ sơ của: {slip.applicant_name}",
            f"Nội dung yêu cầu giải quyết: {slip.procedure_name}",
            "Thành phần hồ sơ:",
            *[f"  {i}. {name}" for i, name in enumerate(slip.documents, start=1)],
            f"Thời gian nhận hồ sơ: {_when(slip.at, tz)}",
        ]
        if slip.appointment_at is not None:
            lines.append(f"Thời gian trả kết quả giải quyết hồ sơ: {_when(slip.appointment_at, tz)}")
        if slip.explanation:
            lines.append(f"Cách tính thời hạn: {slip.explanation}")
        lines += _delivery_lines(slip)
        lines.append("Vào Sổ theo dõi hồ sơ; tra cứu tình trạng hồ sơ bằng mã QR dưới đây.")
    elif slip.form == "02":
        lines += [
            f"Kính gửi: {slip.applicant_name}",
            f"Ngày {slip.at.astimezone(tz):%d/%m/%Y}, {slip.agency_name} đã tiếp nhận hồ sơ về việc: "
            f"{slip.procedure_name}.",
            "Sau khi xem xét, hồ sơ đề nghị bổ sung, hoàn thiện những nội dung sau:",
            f"  {slip.reason or '(không ghi lý do)'}",
            "Lý do: hồ sơ chưa đầy đủ theo quy định. Thời gian giải quyết được tính lại từ khi nhận đủ hồ sơ.",
            f"Thời gian lập phiếu: {_when(slip.at, tz)}",
        ]
    else:
        lines += [
            f"Kính gửi: {slip.applicant_name}",
            f"{slip.agency_name} nhận được hồ sơ về việc: {slip.procedure_name}.",
            "Cơ quan không tiếp nhận, giải quyết hồ sơ này với lý do:",
            f"  {slip.reason or '(không ghi lý do)'}",
            "Xin thông báo để ông/bà được biết và thực hiện.",
            f"Thời gian lập phiếu: {_when(slip.at, tz)}",
        ]
    for line in lines:
        pdf.multi_cell(width, 6, line)
    pdf.ln(4)
    _qr(pdf, slip.lookup_url, x=pdf.l_margin, y=pdf.get_y(), size=32)
    pdf.set_xy(pdf.l_margin + 36, pdf.get_y() + 10)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(width - 36, 4, f"Tra cứu: {slip.lookup_url}")
    return bytes(pdf.output())


def _qr(pdf: FPDF, text: str, *, x: float, y: float, size: float) -> None:
    qr = segno.make(text, error="m")
    rows = list(qr.matrix_iter(scale=1, border=2))
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * module, y + r * module, module, module, style="F")
    pdf.set_y(y + size)


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR modules the slips draw (for tests and checks)."""
    return [[bool(v) for v in row] for row in segno.make(text, error="m").matrix_iter(scale=1, border=2)]


DELIVERY_LABELS = {
    "online": "trực tuyến (bản điện tử có xác thực, vào kho dữ liệu của người nộp)",
    "counter": "trực tiếp tại Bộ phận Một cửa",
    "post": "qua dịch vụ bưu chính công ích",
}


def _delivery_lines(slip: SlipData) -> list[str]:
    """Lai Châu Điều 13 / Điện Biên Điều 14: the chosen delivery, and for post the address and fee."""
    if slip.result_delivery is None:
        return []
    lines = [f"Hình thức nhận kết quả: {DELIVERY_LABELS.get(slip.result_delivery, slip.result_delivery)}"]
    if slip.result_delivery == "post":
        lines.append(f"Địa chỉ nhận kết quả: {slip.postal_address or ''}")
        fee = (
            f"{slip.postal_fee_vnd:,} đồng".replace(",", ".")
            if slip.postal_fee_vnd
            else "theo bảng giá dịch vụ bưu chính công ích"
        )
        lines.append(f"Phí dịch vụ bưu chính công ích (người nộp trả): {fee}")
    return lines
