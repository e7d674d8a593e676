"""A new account's or a reset password's temporary password, mailed to the holder's own address.

The password exists only in the event (the transport) and in the mail sent from it: the message is
rendered and sent while the event is handled, and what notify keeps of the delivery is the same
letter with the password replaced by a mark. A failed send is retried from the event itself (the
broker redelivers it), never from a stored copy. Logs name the account, never the password.
"""

from __future__ import annotations

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.consumers import EventMeta
from dvc_common.events.identity import OfficerCredentialsIssued
from dvc_notify.domain.deliveries import Permanent, Sent, Status
from dvc_notify.domain.rendering import EMAIL
from dvc_notify.mailer import OutgoingEmail, SmtpMailer
from dvc_notify.models import Delivery
from dvc_notify.repository import NotifyRepository
from dvc_notify.service.notifier import Notifier
from dvc_notify.template_files import account_template

log = logging.getLogger(__name__)

REDACTED = "[mật khẩu tạm thời đã ẩn]"


class CredentialsNotSent(Exception):
    """The SMTP server could not take the letter now; the event is handled again later."""


async def mail_credentials(
    session: AsyncSession,
    notifier: Notifier,
    mailer: SmtpMailer,
    meta: EventMeta,
    event: OfficerCredentialsIssued,
) -> Delivery:
    repo = NotifyRepository(session)
    now = clock.now()
    delivery = Delivery(
        event_id=meta.id,
        event_type=meta.routing_key,
        dossier_code=event.officer_id[:40],
        agency_id=event.agency_id,
        channel=EMAIL,
        recipient=event.email or "",
        status=Status.FAILED,
        next_attempt_at=now,
        subject="",
        body_text="",
        message_id=f"<{meta.id}.account@{notifier.message_id_domain}>",
        audience="account",
        attempts=1,
        created_at=now,
        updated_at=now,
    )
    context = {
        **event.model_dump(exclude={"temporary_password"}),
        "officer_name": event.name,
        "login_url": notifier.officer_login_url,
    }
    source = account_template("credentials_issued")
    shown = notifier.renderer.render(source, {**context, "temporary_password": REDACTED})
    delivery.subject, delivery.body_text, delivery.body_html = shown.subject, shown.body_text, shown.body_html
    if not event.email:
        delivery.reason, delivery.provider_answer = "no_address", "tài khoản chưa có địa chỉ thư điện tử"
        log.warning("credentials not mailed: no e-mail", extra={"officer_id": event.officer_id})
    else:
        real = notifier.renderer.render(source, {**context, "temporary_password": event.temporary_password})
        outcome = await mailer.send(
            OutgoingEmail(
                recipient=event.email,
                subject=real.subject,
                body_text=real.body_text,
                body_html=real.body_html,
                message_id=delivery.message_id or "",
                headers={"X-DVC-Event-Id": str(meta.id)},
            )
        )
        if isinstance(outcome, Sent):
            delivery.status, delivery.sent_at, delivery.provider_answer = (
                Status.SENT,
                clock.now(),
                outcome.provider_answer,
            )
        elif isinstance(outcome, Permanent):
            delivery.reason, delivery.provider_answer = outcome.reason, outcome.error
        else:
            raise CredentialsNotSent(f"SMTP: {outcome.error}")
    await repo.enqueue(delivery)
    log.info(
        "credentials letter",
        extra={"officer_id": event.officer_id, "reason": event.reason, "status": delivery.status},
    )
    return delivery
