"""QR codes drawn as vector squares (sharp at any zoom, no image library)."""

from __future__ import annotations

import segno
from fpdf import FPDF


def qr_matrix(text: str, *, border: int = 2) -> list[list[bool]]:
    """The modules of the QR code the forms draw (True: dark), with a quiet zone of `border` modules;
    `border=0` gives the symbol alone, as `inspection.drawn_qr_codes` reads it back from a page."""
    return [[bool(v) for v in row] for row in segno.make(text, error="m").matrix_iter(scale=1, border=border)]


def draw_qr(pdf: FPDF, text: str, *, x: float, y: float, size: float) -> None:
    rows = qr_matrix(text)
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * module, y + r * module, module, module, style="F")
