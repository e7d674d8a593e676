"""Biên lai thu phí, lệ phí: the printable view of the state-budget receipt (chứng từ nộp ngân sách
nhà nước) that the bank signs and the national payment platform returns on GET_BILL (Điện Biên Điều
15.2). Not one of the one-stop forms of Thông tư 03/2025/TT-VPCP: the receipt's own symbol (KyHieu) and
number (SoChungTu) identify it; every value comes from the signed document as payments verified it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dvc_common.pdf import DEFAULT_FONT_DIR, Column, FormPdf, Letterhead
from dvc_common.pdf import text as vn
from dvc_intake.forms.model import BankReceipt, FeeItem

TITLE = "BIÊN LAI THU PHÍ, LỆ PHÍ"
SOURCE = "Chứng từ nộp ngân sách nhà nước điện tử có chữ ký số của ngân hàng (GET_BILL, Điện Biên Điều 15.2)"
FEE_KINDS = {"phi": "Phí", "le_phi": "Lệ phí", "buu_chinh": "Cước bưu chính"}
FEE_COLUMNS = (
    Column("TT", 1, "C"),
    Column("Khoản nộp", 8),
    Column("Loại", 3.5, "C"),
    Column("Số tiền (đồng)", 3, "R"),
)


def from_bank_document(
    document: Mapping[str, Any],
    *,
    letterhead: Letterhead,
    tz: ZoneInfo,
    payer_name: str | None,
    sha256: str | None,
) -> BankReceipt:
    """The receipt as the bank signed it (keys of the national payment platform's GET_BILL)."""
    block: Mapping[str, Any] = document.get("ThongTinBienLai") or {}
    fees = [
        FeeItem(str(f.get("LoaiPhiLePhi", "")), str(f.get("TenPhiLePhi", "")), int(f.get("SoTien", 0)))
        for f in block.get("PhiLePhi") or []
    ]
    return BankReceipt(
        letterhead=letterhead,
        dossier_code=str(document.get("MaHoSo") or block.get("MaHoSo") or ""),
        receipt_number=str(document.get("SoChungTu", "")),
        symbol=document.get("KyHieu"),
        amount=int(document.get("SoTien", 0)),
        paid_at=datetime.fromisoformat(str(document["NgayNop"])),
        tz=tz,
        transaction_id=str(document.get("MaGiaoDich", "")),
        reference=document.get("MaThamChieu"),
        bank=document.get("NganHang"),
        content=document.get("NoiDung"),
        payer_name=payer_name,
        fees=fees,
        beneficiary_account=block.get("TaiKhoanThuHuong"),
        beneficiary_name=block.get("TenTaiKhoanThuHuong"),
        beneficiary_bank=block.get("MaNganHangThuHuong"),
        sha256=sha256,
    )


def render_payment_receipt(receipt: BankReceipt, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    pdf = FormPdf(
        title=f"Biên lai thu phí, lệ phí — {receipt.receipt_number} — {receipt.dossier_code}",
        source=SOURCE,
        keywords=(receipt.dossier_code, receipt.receipt_number, receipt.transaction_id),
        font_dir=font_dir,
        created_at=receipt.paid_at,
    )
    pdf.letterhead(receipt.letterhead, receipt.paid_at.astimezone(receipt.tz).date())
    pdf.heading(
        TITLE, "(Bản thể hiện của chứng từ nộp ngân sách nhà nước điện tử có chữ ký số của ngân hàng)"
    )
    if receipt.symbol:
        pdf.field("Ký hiệu", receipt.symbol)
    pdf.field("Số chứng từ", receipt.receipt_number)
    pdf.field("Mã hồ sơ", receipt.dossier_code)
    if receipt.payer_name:
        pdf.field("Người nộp tiền", receipt.payer_name)
    if receipt.content:
        pdf.field("Nội dung", receipt.content)
    _fees(pdf, receipt)
    pdf.field("Tổng số tiền", vn.vnd(receipt.amount))
    pdf.field("Số tiền bằng chữ", vn.in_words(receipt.amount))
    pdf.field("Thời gian nộp", vn.instant(receipt.paid_at, receipt.tz))
    if receipt.bank:
        pdf.field("Ngân hàng, tổ chức cung ứng dịch vụ thanh toán", receipt.bank)
    pdf.field("Mã giao dịch", receipt.transaction_id)
    if receipt.reference:
        pdf.field("Mã tham chiếu", receipt.reference)
    if receipt.beneficiary_account:
        account = " — ".join(
            v for v in (receipt.beneficiary_account, receipt.beneficiary_name, receipt.beneficiary_bank) if v
        )
        pdf.field("Tài khoản thụ hưởng", account)
    pdf.gap(3)
    pdf.paragraph(
        f"Chứng từ điện tử gốc có chữ ký số của ngân hàng ({receipt.signature_algorithm}), đã được hệ thống "
        "kiểm tra trước khi lưu."
    )
    if receipt.sha256:
        pdf.paragraph("Mã băm SHA-256 của chứng từ:")
        pdf.paragraph(receipt.sha256, indent=6, size=9, align="L")
    return pdf.to_bytes()


def _fees(pdf: FormPdf, receipt: BankReceipt) -> None:
    if not receipt.fees:
        return
    rows = [
        [str(i), fee.name, FEE_KINDS.get(fee.kind, fee.kind), f"{fee.amount:,}".replace(",", ".")]
        for i, fee in enumerate(receipt.fees, start=1)
    ]
    total = sum(fee.amount for fee in receipt.fees)
    pdf.grid(FEE_COLUMNS, [*rows, ["", "Tổng cộng", "", f"{total:,}".replace(",", ".")]])
