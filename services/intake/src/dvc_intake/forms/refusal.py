"""Mẫu số 03, Phụ lục I, Thông tư 03/2025/TT-VPCP: Phiếu từ chối tiếp nhận giải quyết hồ sơ.

Body after Mẫu số 03 of Thông tư 01/2018/TT-VPCP (the applicant and request, the legal ground and
the specific reason for not receiving the dossier, "Xin thông báo để ông/bà được biết và thực hiện";
signed by the receiving officer). The time of the slip counts as the return time (Điện Biên Điều 13.4).
"""

from __future__ import annotations

from pathlib import Path

from dvc_common.pdf import DEFAULT_FONT_DIR, Signature
from dvc_intake.forms.common import applicant_lines, open_form, when
from dvc_intake.forms.model import Refusal

TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"


def render_refusal(slip: Refusal, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    facts = slip.facts
    pdf = open_form(facts, "03", TITLE, font_dir=font_dir)
    pdf.field("Cơ quan tiếp nhận", facts.letterhead.agency)
    pdf.field("Tiếp nhận hồ sơ của", facts.applicant.name)
    applicant_lines(pdf, facts.applicant)
    pdf.field("Nội dung yêu cầu giải quyết", facts.procedure_name)
    basis = slip.legal_basis or "các quy định về thủ tục hành chính nêu trên"
    pdf.paragraph(
        f"Căn cứ {basis}, {facts.letterhead.agency} không tiếp nhận, giải quyết hồ sơ này "
        "với lý do cụ thể như sau:"
    )
    pdf.paragraph(slip.reason, indent=6, style="B")
    pdf.field("Thời gian lập phiếu", when(facts, slip.refused_at))
    pdf.paragraph("Xin thông báo để ông/bà được biết và thực hiện./.")
    pdf.gap(2)
    pdf.signatures(
        [Signature("Người tiếp nhận hồ sơ", facts.officer.name if facts.officer else None)],
        qr_url=facts.lookup_url,
    )
    return pdf.to_bytes()
