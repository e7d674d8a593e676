"""Notify use-cases. They never commit: the message boundary does."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dvc_common.events import CloudEvent, DossierContactRegistered, DossierStatusChanged
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_notify.domain.messages import status_email
from dvc_notify.mailer import SmtpMailer
from dvc_notify.models import Contact, Delivery
from dvc_notify.repository import NotifyRepository

log = logging.getLogger(__name__)


class ContactNotYetKnown(Exception):
    """The status change overtook the contact event; retrying later lets it arrive."""


async def record_contact(session: AsyncSession, event: CloudEvent) -> None:
    contact = DossierContactRegistered.model_validate(event.data)
    await NotifyRepository(session).save_contact(
        Contact(
            dossier_code=contact.code,
            applicant_name=contact.applicant_name,
            email=str(contact.email) if contact.email else None,
            phone=contact.phone,
            updated_at=event.time,
        )
    )


async def notify_status(
    session: AsyncSession, mailer: SmtpMailer, tz: ZoneInfo, event: CloudEvent, trace_id: str | None
) -> None:
    """E-mail the applicant; the delivery row commits with the inbox record after the send succeeded."""
    changed = DossierStatusChanged.model_validate(event.data)
    repo = NotifyRepository(session)
    contact = await repo.contact(changed.code)
    if contact is None:
        raise ContactNotYetKnown(f"no contact yet for dossier {changed.code}")
    content = status_email(
        applicant_name=contact.applicant_name,
        code=changed.code,
        procedure_code=changed.procedure_code,
        status_name=changed.status_name,
        changed_at=changed.changed_at,
        tz=tz,
    )
    outcome = "no_address"
    if contact.email:
        headers = {"X-DVC-Dossier": changed.code, "X-DVC-Event-Id": str(event.id)}
        if trace_id:
            headers["X-DVC-Trace-Id"] = trace_id
        await mailer.send(contact.email, content, headers=headers)
        outcome = "sent"
    repo.add_delivery(
        Delivery(
            event_id=event.id,
            dossier_code=changed.code,
            channel="email",
            recipient=contact.email,
            subject=content.subject,
            outcome=outcome,
            created_at=datetime.now(UTC),
        )
    )
    log.info(
        "status notification", extra={"code": changed.code, "status": changed.status, "outcome": outcome}
    )
