"""What goes on each slip: the lifecycle milestone, the dossier and its procedure, drawn by
`dvc_intake.forms` (Mẫu 01–05 of Thông tư 03/2025/TT-VPCP; sources named there)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from dvc_common.events import DossierExtended, DossierMilestone, DossierReceived, PaymentReceiptIssued
from dvc_common.pdf import Letterhead
from dvc_intake import forms
from dvc_intake.models import Agency, Dossier, Procedure
from dvc_intake.slips import SlipForm

UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}


@dataclass(frozen=True)
class SlipConfig:
    font_dir: Path
    timezone: ZoneInfo
    public_base_url: str  # the QR opens <public_base_url>/tra-cuu/<code>, the public web look-up page
    postal_fee_vnd: int = 0
    place: str | None = None  # the place of the date line, e.g. "Lai Châu"

    def lookup_url(self, code: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/tra-cuu/{code}"


@dataclass(frozen=True)
class Milestone:
    """What a slip says about the lifecycle event it comes from."""

    form: SlipForm
    code: str
    at: datetime
    event_id: UUID
    appointment_at: datetime | None = None
    explanation: str | None = None
    reason: str | None = None
    recorded_at: datetime | None = None  # Mẫu 01: when the officer received it (before normalising)
    officer_name: str | None = None
    items: Sequence[str] = field(default_factory=tuple)
    supplement_count: int = 0
    previous_appointment_at: datetime | None = None


def receipt_milestone(received: DossierReceived, event_id: UUID) -> Milestone:
    """Mẫu 01 (receipt and appointment) from dossier.received.v1, also after a supplement."""
    return Milestone(
        "01",
        received.code,
        received.received_at,
        event_id,
        appointment_at=received.appointment_at,
        explanation=received.explanation,
        recorded_at=received.recorded_at,
        officer_name=received.officer_name,
        supplement_count=received.supplement_count,
    )


def decision_milestone(form: SlipForm, decided: DossierMilestone, event_id: UUID) -> Milestone:
    """Mẫu 02 from dossier.supplement_requested.v1, 03 from dossier.rejected.v1, 05 from
    dossier.stopped.v1."""
    return Milestone(
        form,
        decided.code,
        decided.at,
        event_id,
        reason=decided.reason,
        officer_name=decided.officer_name,
        items=tuple(decided.items or ()),
    )


def extension_milestone(extended: DossierExtended, event_id: UUID) -> Milestone:
    """Mẫu 04 (apology and the new appointment) from dossier.extended.v1."""
    return Milestone(
        "04",
        extended.code,
        extended.extended_at,
        event_id,
        appointment_at=extended.appointment_at,
        reason=extended.reason,
        previous_appointment_at=extended.previous_appointment_at,
    )


@dataclass(frozen=True)
class SlipSubject:
    """The dossier a slip is about, as intake holds it."""

    dossier: Dossier
    procedure: Procedure | None
    agency: Agency | None
    superior: Agency | None
    earlier_supplement_requests: int
    # When officers received it, as each Mẫu 01 says (its slip's time), first to last; the dossier's
    # received_at is the counting start (after 15:00: the next working day).
    receipts: Sequence[datetime] = ()

    @property
    def first_receipt(self) -> datetime | None:
        return self.receipts[0] if self.receipts else self.dossier.received_at

    @property
    def last_receipt(self) -> datetime | None:
        return self.receipts[-1] if self.receipts else self.dossier.received_at


def letterhead(subject: SlipSubject, place: str | None) -> Letterhead:
    d, p = subject.dossier, subject.procedure
    name = subject.agency.name if subject.agency else (p.agency_name if p else d.agency_id)
    superior = subject.superior.name if subject.superior else None
    return Letterhead(agency=name, superior=superior, place=place)


def processing_time(procedure: Procedure | None) -> str | None:
    if procedure is None:
        return None
    value = f"{procedure.processing_time_value:g}".replace(".", ",")
    return f"{value} {UNITS.get(procedure.processing_time_unit, procedure.processing_time_unit)}"


def facts(m: Milestone, subject: SlipSubject, config: SlipConfig) -> forms.SlipFacts:
    d, p = subject.dossier, subject.procedure
    return forms.SlipFacts(
        code=m.code,
        letterhead=letterhead(subject, config.place),
        procedure_name=p.name if p else d.procedure_code,
        applicant=forms.Applicant(d.applicant_name, phone=d.phone, email=d.email),
        issued_at=m.recorded_at or m.at,
        tz=config.timezone,
        lookup_url=config.lookup_url(m.code),
        officer=forms.Officer(m.officer_name) if m.officer_name else None,
    )


def render_slip(m: Milestone, subject: SlipSubject, config: SlipConfig) -> bytes:
    f, d, font_dir = facts(m, subject, config), subject.dossier, config.font_dir
    reason = m.reason or "(không ghi lý do)"
    if m.form == "01":
        procedure = subject.procedure
        receipt = forms.ReceiptSlip(
            facts=f,
            # The catalog names the components only (no number of copies, original or copy): the
            # "Số lượng, hình thức" column stays blank for the officer to fill in by hand.
            components=[
                forms.Component(name) for name in (procedure.components if procedure else None) or ()
            ],
            processing_time=processing_time(subject.procedure),
            received_at=m.recorded_at or m.at,
            counted_from=m.at,
            appointment_at=m.appointment_at or m.at,
            explanation=m.explanation,
            delivery=d.result_delivery,
            offered_delivery=(procedure.result_delivery if procedure else None) or (),
            postal_address=d.postal_address,
            postal_fee_vnd=config.postal_fee_vnd,
            supplement_round=m.supplement_count,
        )
        return forms.render_receipt(receipt, font_dir=font_dir)
    if m.form == "02":
        items = [forms.Component(item) for item in m.items] or [forms.Component(reason)]
        request = forms.SupplementRequest(
            f,
            subject.last_receipt,
            m.at,
            items,
            reason,
            round=subject.earlier_supplement_requests + 1,
            counted_from=d.received_at,
        )
        return forms.render_supplement_request(request, font_dir=font_dir)
    if m.form == "03":
        return forms.render_refusal(forms.Refusal(f, m.at, reason), font_dir=font_dir)
    if m.form == "04":
        assert m.previous_appointment_at is not None and m.appointment_at is not None
        letter = forms.Apology(f, subject.first_receipt, m.previous_appointment_at, m.appointment_at, reason)
        return forms.render_apology(letter, font_dir=font_dir)
    notice = forms.StopNotice(f, subject.first_receipt, m.at, reason)
    return forms.render_stop_notice(notice, font_dir=font_dir)


def render_payment_receipt(issued: PaymentReceiptIssued, subject: SlipSubject, config: SlipConfig) -> bytes:
    """The biên lai from the bank-signed document payments verified (the event carries it)."""
    assert issued.document is not None
    d = subject.dossier
    receipt = forms.from_bank_document(
        issued.document,
        letterhead=letterhead(subject, config.place),
        tz=config.timezone,
        payer_name=d.applicant_name if issued.payer_subject == d.owner_subject else None,
        sha256=issued.sha256,
    )
    return forms.render_payment_receipt(receipt, font_dir=config.font_dir)
