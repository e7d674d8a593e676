"""Recipients: local copies of how to reach an applicant (by dossier) or an asker (by question)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import EventMeta
from dvc_common.events import DossierContactRegistered, QuestionContactRegistered
from dvc_notify.domain.rendering import EMAIL, ZALO
from dvc_notify.models import Contact
from dvc_notify.repository import NotifyRepository


async def record_contact(session: AsyncSession, meta: EventMeta, contact: DossierContactRegistered) -> None:
    await NotifyRepository(session).save_contact(
        Contact(
            dossier_code=contact.code,
            applicant_name=contact.applicant_name,
            email=str(contact.email) if contact.email else None,
            phone=contact.phone,
            channels=list(contact.channels) if contact.channels else None,
            updated_at=meta.time,
        )
    )


async def record_question_contact(
    session: AsyncSession, meta: EventMeta, contact: QuestionContactRegistered
) -> None:
    """The asker of a question, kept like an applicant: the contact's key is the question id. The asker
    is told on every channel they left an address for (a phone number gets Zalo); an asker who left
    none is kept too, so their question's letters are recorded as undeliverable instead of waiting."""
    email = str(contact.email) if contact.email else None
    channels = [c for c, address in ((EMAIL, email), (ZALO, contact.phone)) if address]
    await NotifyRepository(session).save_contact(
        Contact(
            dossier_code=contact.question_id,
            applicant_name=contact.asker_name,
            email=email,
            phone=contact.phone,
            channels=channels,
            updated_at=meta.time,
        )
    )
