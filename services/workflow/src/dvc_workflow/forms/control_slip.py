"""Mẫu số 06, Phụ lục I, Thông tư 03/2025/TT-VPCP: Phiếu kiểm soát quá trình giải quyết hồ sơ.

Layout after the control slip of Thông tư 01/2018/TT-VPCP (its Mẫu số 05): code, "kèm theo Giấy tiếp
nhận hồ sơ và hẹn trả kết quả", the agency that handles the dossier and those that coordinate, then
one row per hand-over with the agency, the time of giving and taking the dossier with the giver and
the taker, the result of the step (trước hạn / đúng hạn / quá hạn) and a note. Here the row also
carries the step's deadline and when it was handed on, from workflow's step log.
"""

from __future__ import annotations

from pathlib import Path

from dvc_common.pdf import DEFAULT_FONT_DIR, Column, FormPdf
from dvc_common.pdf import text as vn
from dvc_workflow.forms.model import ControlSlip, ControlStep, source, step_outcome

TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
COLUMNS = (
    Column("TT", 1, "C"),
    Column("Tên cơ quan, bộ phận; bước xử lý", 4.5),
    Column("Thời gian giao, nhận hồ sơ", 7.5),
    Column("Hạn xử lý", 3, "C"),
    Column("Kết quả giải quyết (trước, đúng, quá hạn)", 3, "C"),
    Column("Ghi chú", 2),
)


def _row(number: int, step: ControlStep, slip: ControlSlip) -> list[str]:
    tz = slip.tz
    hand_over = [
        f"Người giao: {step.handed_over_by or '—'}",
        f"Người nhận: {step.received_by or '—'}",
        f"Nhận lúc: {vn.short(step.received_at, tz)}",
    ]
    if step.handed_on_at is not None:
        hand_over.append(f"Chuyển tiếp lúc: {vn.short(step.handed_on_at, tz)}")
    where = f"{step.department}\n{step.name}" if step.department else step.name
    due = vn.short(step.due_at, tz).replace(vn.NBSP, "\n") if step.due_at is not None else "—"
    return [str(number), where, "\n".join(hand_over), due, step_outcome(step, slip.issued_at), ""]


def render_control_slip(slip: ControlSlip, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    pdf = FormPdf(
        title=f"Mẫu số 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ — {slip.code}",
        source=source("06"),
        form_label="Mẫu số 06",
        keywords=(slip.code, "Mẫu số 06"),
        font_dir=font_dir,
        numbered_pages=True,
        created_at=slip.issued_at,
    )
    pdf.letterhead(slip.letterhead, slip.issued_at.astimezone(slip.tz).date())
    pdf.heading(TITLE, f"Mã hồ sơ: {slip.code}", "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)")
    if slip.applicant_name:
        pdf.field("Hồ sơ của", slip.applicant_name)
    pdf.field("Thủ tục hành chính", slip.procedure_name)
    pdf.field("Cơ quan (bộ phận) giải quyết hồ sơ", slip.handling_agency)
    pdf.field("Cơ quan phối hợp giải quyết hồ sơ", ", ".join(slip.coordinating_agencies) or "không có")
    if slip.received_at is not None:
        pdf.field("Thời gian nhận hồ sơ", vn.instant(slip.received_at, slip.tz))
    if slip.counted_from is not None and slip.counted_from != slip.received_at:
        pdf.field("Thời gian giải quyết được tính từ", vn.instant(slip.counted_from, slip.tz), indent=5)
    if slip.appointment_at is not None:
        pdf.field("Thời gian hẹn trả kết quả", vn.instant(slip.appointment_at, slip.tz))
    pdf.gap(2)
    pdf.grid(
        COLUMNS,
        [_row(i, step, slip) for i, step in enumerate(slip.steps, start=1)],
        size=8.5,
        empty="(chưa có bước xử lý)",
    )
    pdf.paragraph(
        f"Tình trạng tại thời điểm in phiếu: {vn.instant(slip.issued_at, slip.tz)}.", style="I", size=9
    )
    return pdf.to_bytes()
