"""Mẫu số 04, Phụ lục I, Thông tư 03/2025/TT-VPCP: Văn bản xin lỗi và đề nghị gia hạn thời gian
giải quyết (Thông tư 01/2018/TT-VPCP called it Mẫu số 04, Phiếu xin lỗi và hẹn lại ngày trả kết quả).

A letter (Kính gửi …) after the body of the 2018 form: when the dossier was received and for what,
the appointment it will miss, the reason, the apology and the new return time; signed by the head of
the agency, with the recipients (Nơi nhận). The new date is set once, before the deadline passes
(Điện Biên Điều 13.6).
"""

from __future__ import annotations

from pathlib import Path

from dvc_common.pdf import DEFAULT_FONT_DIR, Signature
from dvc_common.pdf import text as vn
from dvc_intake.forms.common import open_form, when
from dvc_intake.forms.model import Apology

TITLE = "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
HEAD = Signature("Thủ trưởng cơ quan", note="(Ký, ghi rõ họ tên và đóng dấu)")


def render_apology(letter: Apology, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    facts, agency = letter.facts, letter.facts.letterhead.agency
    pdf = open_form(facts, "04", TITLE, font_dir=font_dir)
    pdf.centred(f"Kính gửi: {facts.applicant.name}", style="B")
    pdf.gap(2)
    received = (
        f"Ngày {letter.received_at.astimezone(facts.tz):%d/%m/%Y}, " if letter.received_at is not None else ""
    )
    pdf.paragraph(
        f"{received}{agency} tiếp nhận hồ sơ của ông/bà (mã hồ sơ {facts.code}) về việc: "
        f"{facts.procedure_name}."
    )
    pdf.field(
        "Thời gian hẹn trả kết quả ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        when(facts, letter.previous_appointment_at),
    )
    pdf.paragraph(
        f"Tuy nhiên, {agency} không thể trả kết quả giải quyết hồ sơ của ông/bà đúng thời gian đã hẹn."
    )
    pdf.field("Lý do", letter.reason)
    pdf.paragraph(
        f"Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của ông/bà. {agency} xin lỗi ông/bà "
        "và đề nghị gia hạn thời gian giải quyết hồ sơ đến:"
    )
    pdf.field("Thời gian hẹn trả kết quả mới", when(facts, letter.appointment_at), indent=6)
    pdf.paragraph(f"{agency} mong nhận được sự thông cảm của ông/bà./.")
    pdf.gap(3)
    pdf.signatures(
        [Signature(HEAD.title, letter.signer, HEAD.note)],
        recipients=[f"{facts.applicant.name};", f"Lưu: {agency}."],
        qr_url=facts.lookup_url,
    )
    return pdf.to_bytes()


def apology_subject(letter: Apology) -> str:
    """One line for a mail or a message: the apology and the new date."""
    return (
        f"Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {letter.facts.code}: "
        f"{vn.short(letter.appointment_at, letter.facts.tz)}"
    )
