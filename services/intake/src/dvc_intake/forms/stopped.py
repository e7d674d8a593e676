"""Mẫu số 05, Phụ lục I, Thông tư 03/2025/TT-VPCP: Thông báo dừng giải quyết hồ sơ (new in 2025; no
2018 counterpart).

A notice (Kính gửi …) in the administrative letter layout of Nghị định 30/2020/NĐ-CP, like Mẫu 04:
when the dossier was received and for what, from when its processing stops, the reason; signed by
the head of the agency, with the recipients. National status 8 (Dừng xử lý).
"""

from __future__ import annotations

from pathlib import Path

from dvc_common.pdf import DEFAULT_FONT_DIR, Signature
from dvc_intake.forms.apology import HEAD
from dvc_intake.forms.common import open_form, when
from dvc_intake.forms.model import StopNotice

TITLE = "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"


def render_stop_notice(notice: StopNotice, *, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    facts, agency = notice.facts, notice.facts.letterhead.agency
    pdf = open_form(facts, "05", TITLE, font_dir=font_dir)
    pdf.centred(f"Kính gửi: {facts.applicant.name}", style="B")
    pdf.gap(2)
    received = (
        f"Ngày {notice.received_at.astimezone(facts.tz):%d/%m/%Y}, " if notice.received_at is not None else ""
    )
    pdf.paragraph(
        f"{received}{agency} tiếp nhận hồ sơ của ông/bà (mã hồ sơ {facts.code}) về việc: "
        f"{facts.procedure_name}."
    )
    pdf.paragraph(f"{agency} thông báo dừng giải quyết hồ sơ nêu trên.")
    pdf.field("Thời điểm dừng giải quyết", when(facts, notice.stopped_at))
    pdf.field("Lý do", notice.reason)
    pdf.paragraph(
        f"Nếu có vướng mắc, ông/bà liên hệ {agency} để được hướng dẫn. "
        f"{agency} thông báo để ông/bà được biết./."
    )
    pdf.gap(3)
    pdf.signatures(
        [Signature(HEAD.title, notice.signer, HEAD.note)],
        recipients=[f"{facts.applicant.name};", f"Lưu: {agency}."],
        qr_url=facts.lookup_url,
    )
    return pdf.to_bytes()
