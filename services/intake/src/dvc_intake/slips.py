"""The slips intake attaches to a dossier, by form number, and the flat `SlipData` its slip service
fills in today. Drawing is `dvc_intake.forms` (official layouts, sources named there); `render` maps
the flat data onto those forms for the callers that still use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from dvc_common.pdf import DEFAULT_FONT_DIR, Letterhead, qr_matrix
from dvc_intake.forms import (
    Applicant,
    Component,
    ReceiptSlip,
    Refusal,
    SlipFacts,
    SupplementRequest,
    render_receipt,
    render_refusal,
    render_supplement_request,
)
from dvc_intake.forms.common import DELIVERY_LABELS

SlipForm = Literal["01", "02", "03", "04", "05"]
# Titles of Phụ lục I, Thông tư 03/2025/TT-VPCP (see dvc_intake.forms.common).
TITLES: dict[str, str] = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "05": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
}

__all__ = ["DEFAULT_FONT_DIR", "DELIVERY_LABELS", "TITLES", "SlipData", "SlipForm", "qr_matrix", "render"]


@dataclass(frozen=True)
class SlipData:
    form: SlipForm
    code: str
    agency_name: str
    procedure_name: str
    applicant_name: str
    at: datetime  # receipt (01) or the decision's instant (02, 03)
    lookup_url: str
    documents: list[str] = field(default_factory=list)
    appointment_at: datetime | None = None
    explanation: str | None = None
    reason: str | None = None
    result_delivery: str | None = None
    postal_address: str | None = None
    postal_fee_vnd: int = 0


def render(slip: SlipData, *, font_dir: Path = DEFAULT_FONT_DIR, tz: ZoneInfo) -> bytes:
    facts = SlipFacts(
        code=slip.code,
        letterhead=Letterhead(agency=slip.agency_name),
        procedure_name=slip.procedure_name,
        applicant=Applicant(slip.applicant_name),
        issued_at=slip.at,
        tz=tz,
        lookup_url=slip.lookup_url,
    )
    reason = slip.reason or "(không ghi lý do)"
    if slip.form == "01":
        receipt = ReceiptSlip(
            facts=facts,
            components=[Component(name) for name in slip.documents],
            processing_time=None,
            received_at=slip.at,
            counted_from=slip.at,
            appointment_at=slip.appointment_at or slip.at,
            explanation=slip.explanation,
            delivery=slip.result_delivery,
            postal_address=slip.postal_address,
            postal_fee_vnd=slip.postal_fee_vnd,
        )
        return render_receipt(receipt, font_dir=font_dir)
    if slip.form == "02":
        request = SupplementRequest(
            facts, None, slip.at, [Component(reason)], "Hồ sơ chưa đầy đủ, hợp lệ theo quy định."
        )
        return render_supplement_request(request, font_dir=font_dir)
    if slip.form == "03":
        return render_refusal(Refusal(facts, slip.at, reason), font_dir=font_dir)
    raise ValueError(f"SlipData does not carry what Mẫu {slip.form} needs: use dvc_intake.forms")
