"""The forms intake attaches to a dossier, by form number (the `form` of a slip row), with their
titles. Drawing is `dvc_intake.forms`; what goes on each is `dvc_intake.service.slip_forms`."""

from __future__ import annotations

from typing import Literal

from dvc_common.pdf import DEFAULT_FONT_DIR, qr_matrix

SlipForm = Literal["01", "02", "03", "04", "05", "BL"]
# Titles of Phụ lục I, Thông tư 03/2025/TT-VPCP (see dvc_intake.forms.common); BL is not one of them.
TITLES: dict[str, str] = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "05": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "BL": "BIÊN LAI THU PHÍ, LỆ PHÍ",  # the payment receipt, from the bank-signed document
}

__all__ = ["DEFAULT_FONT_DIR", "TITLES", "SlipForm", "qr_matrix"]
