"""Mẫu số 07, Phụ lục I, Thông tư 03/2025/TT-VPCP: Sổ theo dõi hồ sơ, as PDF (landscape A4) and XLSX.

Columns after the register of Thông tư 01/2018/TT-VPCP (its Mẫu số 06): STT, code, procedure, number
of sets, applicant, address and phone, the agency that leads the processing, then under "Ngày, tháng,
năm": received, appointment, handed to the processing agency, result back from it, returned to the
applicant; the applicant's signature on receipt and a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dvc_common.pdf import DEFAULT_FONT_DIR, Column, FormPdf
from dvc_common.pdf import text as vn
from dvc_workflow.forms.model import Register, RegisterEntry, source

TITLE = "SỔ THEO DÕI HỒ SƠ"
DATES = "Ngày, tháng, năm"
# Widths in mm of the 267 mm of a landscape A4 line at 7 pt: the code and the dates never break.
COLUMNS = (
    Column("STT", 8, "C"),
    Column("Mã hồ sơ", 38),
    Column("Tên thủ tục hành chính", 30),
    Column("Số lượng hồ sơ (bộ)", 11, "C"),
    Column("Tên cá nhân, tổ chức", 22),
    Column("Địa chỉ, số điện thoại", 21),
    Column("Cơ quan chủ trì giải quyết", 20),
    Column("Nhận hồ sơ", 18, "C", DATES),
    Column("Hẹn trả kết quả", 18, "C", DATES),
    Column("Chuyển hồ sơ đến cơ quan giải quyết", 18, "C", DATES),
    Column("Nhận kết quả từ cơ quan giải quyết", 18, "C", DATES),
    Column("Trả kết quả cho cá nhân, tổ chức", 18, "C", DATES),
    Column("Ký nhận", 11, "C"),
    Column("Ghi chú", 16),
)


def _at(at: datetime | None, tz: ZoneInfo) -> str:
    return vn.short(at, tz).replace(vn.NBSP, "\n") if at is not None else ""  # time above the date


def rows(register: Register) -> list[list[str]]:
    """The register's lines as the columns read them (the PDF and the XLSX show the same)."""
    tz = register.tz

    def line(number: int, e: RegisterEntry) -> list[str]:
        return [
            str(number),
            e.code,
            e.procedure_name,
            f"{e.sets:02d}",
            e.applicant_name or "",
            e.applicant_contact or "",
            e.handling_agency,
            _at(e.received_at, tz),
            _at(e.appointment_at, tz),
            _at(e.transferred_at, tz),
            _at(e.result_at, tz),
            _at(e.returned_at, tz),
            "",
            e.note or "",
        ]

    return [line(i, e) for i, e in enumerate(register.entries, start=1)]


def _period(register: Register) -> str:
    return f"Từ {vn.day(register.period_from)} đến {vn.day(register.period_to)}"


def render_register_pdf(register: Register, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    pdf = FormPdf(
        title=f"Mẫu số 07 — Sổ theo dõi hồ sơ — {register.letterhead.agency} — {_period(register)}",
        source=source("07"),
        form_label="Mẫu số 07",
        keywords=(register.letterhead.agency, "Mẫu số 07"),
        font_dir=font_dir,
        landscape=True,
        numbered_pages=True,
        created_at=register.issued_at,
    )
    pdf.letterhead(register.letterhead, register.issued_at.astimezone(register.tz).date())
    pdf.heading(TITLE, _period(register), f"Số hồ sơ: {len(register.entries)}")
    pdf.grid(COLUMNS, rows(register), size=7, empty="(không có hồ sơ trong kỳ)")
    return pdf.to_bytes()


def render_register_xlsx(register: Register) -> bytes:
    """The same register as a workbook: title rows, the two-level heading, one row per dossier."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Sổ theo dõi hồ sơ"
    book.properties.title = f"Sổ theo dõi hồ sơ — {register.letterhead.agency}"
    book.properties.subject = source("07")
    book.properties.creator = "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh"
    width = len(COLUMNS)
    _title_rows(sheet, register, width)
    _heading_rows(sheet, COLUMNS, first_row=5)
    thin = Side(style="thin")
    for values in rows(register):
        sheet.append([value.replace("\n", " ") for value in values])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width * 0.7
    sheet.freeze_panes = "C7"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _title_rows(sheet: Worksheet, register: Register, width: int) -> None:
    last = get_column_letter(width)
    head = register.letterhead
    lines = [
        (f"{(head.superior or '').upper()} — {head.agency.upper()}".strip(" —"), Font(bold=True)),
        (TITLE, Font(bold=True, size=14)),
        (_period(register).replace(vn.NBSP, " "), Font(italic=True)),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font, cell.alignment = font, Alignment(horizontal="center")


def _heading_rows(sheet: Worksheet, columns: Sequence[Column], *, first_row: int) -> None:
    thin = Side(style="thin")
    grouped: dict[str, list[int]] = {}
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.group is None:
            sheet.merge_cells(f"{letter}{first_row}:{letter}{first_row + 1}")
            sheet.cell(row=first_row, column=index, value=column.heading)
        else:
            grouped.setdefault(column.group, []).append(index)
            sheet.cell(row=first_row + 1, column=index, value=column.heading)
    for group, indexes in grouped.items():
        sheet.merge_cells(
            start_row=first_row, start_column=indexes[0], end_row=first_row, end_column=indexes[-1]
        )
        sheet.cell(row=first_row, column=indexes[0], value=group)
    for row in (first_row, first_row + 1):
        for index in range(1, len(columns) + 1):
            cell = sheet.cell(row=row, column=index)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
