"""An A4 administrative form drawn with fpdf2: the letterhead of Nghị định 30/2020/NĐ-CP (superior body
and agency left, Quốc hiệu and Tiêu ngữ right, number and place-and-date below), a centred title,
fields and paragraphs that wrap inside the page, tables, signature blocks and a QR code.

Every drawing method starts at the left margin and leaves x there (fpdf2's multi_cell otherwise
leaves x where the cell ended, which put whole form bodies off the page in wave 1). Fonts: DejaVu
Sans (Debian `fonts-dejavu-core`), embedded as a subset so the text extracts exactly; the oblique
face is used when installed (`fonts-dejavu-extra`), else the upright one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from fpdf.table import Table

from dvc_common.pdf import text as vn
from dvc_common.pdf.qr import draw_qr

DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BODY_SIZE = 10.5
LINE = 5.5
Align = Literal["L", "C", "R", "J"]


@dataclass(frozen=True)
class Letterhead:
    """Who issues the form: the agency, its superior body, the place for the date line, a number."""

    agency: str
    superior: str | None = None
    place: str | None = None
    number: str | None = None


@dataclass(frozen=True)
class Signature:
    title: str
    name: str | None = None
    note: str = "(Ký và ghi rõ họ tên)"


@dataclass(frozen=True)
class Column:
    heading: str
    width: float  # relative to the other columns
    align: Align = "L"
    group: str | None = None  # consecutive columns of one group share a heading above theirs


def _font_file(font_dir: Path, *names: str) -> str:
    for name in names:
        if (font_dir / name).exists():
            return str(font_dir / name)
    raise FileNotFoundError(f"none of {names} in {font_dir}")


class FormPdf(FPDF):
    """One form. `source` names the legal template; it goes into the PDF's subject."""

    def __init__(
        self,
        *,
        title: str,
        source: str,
        form_label: str | None = None,
        keywords: Sequence[str] = (),
        font_dir: Path = DEFAULT_FONT_DIR,
        landscape: bool = False,
        numbered_pages: bool = False,
        created_at: datetime | None = None,
    ) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self._form_label = form_label
        self._numbered_pages = numbered_pages
        self.add_font(FONT, "", _font_file(font_dir, "DejaVuSans.ttf"))
        self.add_font(FONT, "B", _font_file(font_dir, "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", _font_file(font_dir, "DejaVuSans-Oblique.ttf", "DejaVuSans.ttf"))
        self.add_font(FONT, "BI", _font_file(font_dir, "DejaVuSans-BoldOblique.ttf", "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_subject(source)
        self.set_keywords(", ".join(keywords))
        self.set_creator("Hệ thống thông tin giải quyết thủ tục hành chính tỉnh")
        self.set_lang("vi")
        if created_at is not None:
            self.set_creation_date(created_at.astimezone(UTC))
        self.set_margins(15 if landscape else 25, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.add_page()
        self.set_font(FONT, "", BODY_SIZE)

    # ------------------------------------------------------------ page furniture (fpdf2 hooks)

    def header(self) -> None:
        if self.page_no() == 1 and self._form_label:
            self.set_font(FONT, "", 8)
            self.set_xy(self.l_margin, 7)
            self.cell(self.epw, 4, self._form_label, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_y(self.t_margin)

    def footer(self) -> None:
        if self._numbered_pages:
            self.set_font(FONT, "", 8)
            self.set_xy(self.l_margin, -12)
            self.cell(self.epw, 4, f"Trang {self.page_no()}/{{nb}}", align="C")

    # ------------------------------------------------------------ building blocks

    def to_bytes(self) -> bytes:
        return bytes(self.output())

    def gap(self, mm: float) -> None:
        self.set_xy(self.l_margin, self.get_y() + mm)

    def ensure_space(self, mm: float) -> None:
        """Start a new page unless `mm` of height is left (keeps a block such as signatures whole)."""
        if self.get_y() + mm > self.page_break_trigger:
            self.add_page()

    def _centred(self, x: float, w: float, text: str, *, size: float, style: str = "", h: float = 5) -> None:
        self.set_font(FONT, style, size)
        self.set_x(x)
        self.multi_cell(w, h, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _fitting_size(self, text: str, w: float, *, size: float, style: str) -> float:
        while size > 8:
            self.set_font(FONT, style, size)
            if self.get_string_width(text) <= w - 1:
                break
            size -= 0.5
        return size

    def _rule(self, centre: float, length: float) -> None:
        y = self.get_y() + 1.2
        self.set_line_width(0.3)
        self.line(centre - length / 2, y, centre + length / 2, y)
        self.set_y(y + 1.4)

    def letterhead(self, head: Letterhead, on: date) -> None:
        """Superior body and agency (left), Quốc hiệu and Tiêu ngữ (right), then number and date."""
        top, left_w = self.get_y(), self.epw * 0.42
        right_x, right_w = self.l_margin + left_w, self.epw - left_w
        if head.superior:
            self._centred(self.l_margin, left_w, head.superior.upper(), size=10)
        self._centred(self.l_margin, left_w, head.agency.upper(), size=10, style="B")
        self._rule(self.l_margin + left_w / 2, left_w / 3)
        left_end = self.get_y()
        self.set_y(top)
        size = self._fitting_size(NATION, right_w, size=10.5, style="B")
        self._centred(right_x, right_w, NATION, size=size, style="B")
        size = self._fitting_size(MOTTO, right_w, size=11, style="B")
        self._centred(right_x, right_w, MOTTO, size=size, style="B")
        self._rule(right_x + right_w / 2, self.get_string_width(MOTTO))
        row = max(left_end, self.get_y()) + 1.5
        self.set_y(row)
        if head.number:
            self._centred(self.l_margin, left_w, head.number, size=10)
        number_end = self.get_y()
        self.set_y(row)
        self._centred(right_x, right_w, vn.place_and_day(head.place, on), size=10, style="I")
        self.set_xy(self.l_margin, max(number_end, self.get_y()) + 5)

    def heading(self, text: str, *lines: str) -> None:
        self._centred(self.l_margin, self.epw, text, size=13, style="B", h=7)
        for line in lines:
            self._centred(self.l_margin, self.epw, line, size=10.5, style="I", h=5.5)
        self.gap(4)

    def centred(self, text: str, *, style: str = "", size: float = BODY_SIZE) -> None:
        self._centred(self.l_margin, self.epw, text, size=size, style=style, h=LINE)

    def paragraph(
        self, text: str, *, indent: float = 0, style: str = "", align: Align = "J", size: float = BODY_SIZE
    ) -> None:
        self.set_font(FONT, style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, LINE * size / BODY_SIZE, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, label: str, value: str, *, indent: float = 0) -> None:
        """`label: value`, the value in bold; wrapped lines stay inside the margins (and the indent)."""
        margin = self.l_margin
        self.set_left_margin(margin + indent)
        self.set_x(margin + indent)
        try:
            self.set_font(FONT, "", BODY_SIZE)
            self.write(LINE, f"{label}: ")
            self.set_font(FONT, "B", BODY_SIZE)
            first_word = value.split(" ", 1)[0]
            if self.get_string_width(first_word) > self.w - self.r_margin - self.get_x():
                self.ln(LINE)  # write() would cut that word in two to fill the line
            self.write(LINE, value)
        finally:
            self.set_left_margin(margin)
        self.set_xy(margin, self.get_y() + LINE)

    def items(self, entries: Sequence[str], *, indent: float = 6, marker: str = "-") -> None:
        """A list with a hanging indent: each entry wraps under its own text, not under the marker."""
        self.set_font(FONT, "", BODY_SIZE)
        for number, entry in enumerate(entries, start=1):
            self.set_x(self.l_margin + indent)
            self.cell(7, LINE, f"{number}." if marker == "#" else marker)
            self.multi_cell(0, LINE, entry, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        *,
        size: float = 9.5,
        empty: str = "(không có)",
    ) -> None:
        """A bordered table that wraps its cells and repeats its headings on every page."""
        self.set_xy(self.l_margin, self.get_y())
        self.set_font(FONT, "", size)
        with self.table(
            col_widths=tuple(c.width for c in columns),
            text_align=tuple(c.align for c in columns),
            line_height=size * 0.5,
            width=self.epw,
            align="LEFT",
            headings_style=FontFace(emphasis="BOLD"),
            repeat_headings=1,
            num_heading_rows=2 if any(c.group for c in columns) else 1,
            padding=1,
            v_align="TOP",
        ) as table:
            self._headings(table, columns)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
            if not rows:
                table.row().cell(empty, colspan=len(columns), align="C")
        self.set_xy(self.l_margin, self.get_y() + 2)

    @staticmethod
    def _headings(table: Table, columns: Sequence[Column]) -> None:
        if not any(c.group for c in columns):
            heading = table.row()
            for column in columns:
                heading.cell(column.heading, align="C", v_align="MIDDLE")
            return
        top, below = table.row(), table.row()
        index = 0
        while index < len(columns):
            group = columns[index].group
            if group is None:
                top.cell(columns[index].heading, align="C", v_align="MIDDLE", rowspan=2)
                index += 1
                continue
            span = 1
            while index + span < len(columns) and columns[index + span].group == group:
                span += 1
            top.cell(group, align="C", v_align="MIDDLE", colspan=span)
            for column in columns[index : index + span]:
                below.cell(column.heading, align="C", v_align="MIDDLE")
            index += span

    def signatures(
        self,
        blocks: Sequence[Signature],
        *,
        recipients: Sequence[str] | None = None,
        qr_url: str | None = None,
        qr_caption: str = "Tra cứu tình trạng hồ sơ",
    ) -> None:
        """Signature blocks side by side (a single one on the right). On the left, when given: the
        `Nơi nhận` list of a letter and the QR code; the QR's address goes on a line below."""
        listed = (5 + 4.5 * len(recipients)) if recipients is not None else 0
        self.ensure_space(max(33, listed + (26 if qr_url else 0)) + (7 if qr_url else 2))
        top = self.get_y()
        ends: list[float] = []
        left = 0.0
        if recipients is not None:
            left = self.epw * 0.45
            self._recipients(recipients, left)
        elif qr_url is not None or len(blocks) == 1:  # one signer signs on the right, as on letters
            left = self.epw * (0.45 if len(blocks) == 1 else 0.2)
        if qr_url is not None:
            size = 24.0
            self.set_y(self.get_y() + (2 if recipients is not None else 0))
            draw_qr(self, qr_url, x=self.l_margin, y=self.get_y(), size=size)
            self.set_y(self.get_y() + size)
        ends.append(self.get_y())
        width = (self.epw - left) / max(len(blocks), 1)
        for i, block in enumerate(blocks):
            x = self.l_margin + left + i * width
            self.set_y(top)
            self._centred(x, width, block.title.upper(), size=10.5, style="B")
            self._centred(x, width, block.note, size=9.5, style="I")
            self.set_y(self.get_y() + 18)
            if block.name:
                self._centred(x, width, block.name, size=10.5, style="B")
            ends.append(self.get_y())
        self.set_xy(self.l_margin, max(ends) + 2)
        if qr_url is not None:
            self.set_font(FONT, "", 8.5)
            self.multi_cell(0, 4.5, f"{qr_caption}: {qr_url}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _recipients(self, recipients: Sequence[str], width: float) -> None:
        self.set_font(FONT, "BI", 10)
        self.cell(width, 5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        for line in recipients:
            self.multi_cell(width, 4.5, f"- {line}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def qr(self, url: str, caption: str, *, size: float = 28) -> None:
        """The QR code at the left margin, the caption and the address beside it."""
        self.ensure_space(size + 4)
        top = self.get_y()
        draw_qr(self, url, x=self.l_margin, y=top, size=size)
        self.set_xy(self.l_margin + size + 4, top + 3)
        self.set_font(FONT, "B", 9)
        self.multi_cell(self.epw - size - 4, 4.5, caption, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        self.multi_cell(self.epw - size - 4, 4.5, url, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_xy(self.l_margin, max(top + size, self.get_y()) + 3)
