"""Shared drawing of administrative forms (PDF): letterhead, fields, tables, signatures, QR."""

from dvc_common.pdf.document import DEFAULT_FONT_DIR, Column, FormPdf, Letterhead, Signature
from dvc_common.pdf.qr import qr_matrix

__all__ = ["DEFAULT_FONT_DIR", "Column", "FormPdf", "Letterhead", "Signature", "qr_matrix"]
