"""QR codes drawn as vector squares (sharp at any zoom, no image library)."""

from __future__ import annotations

import segno
from fpdf import FPDF


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of the QR code the forms draw, quiet zone included (for tests and checks)."""
    return [[bool(v) for v in row] for row in segno.make(text, error="m").matrix_iter(scale=1, border=2)]


def draw_qr(pdf: FPDF, text: str, *, x: float, y: float, size: float) -> None:
    rows = qr_matrix(text)
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * module, y + r * module, module, module, style="F")
