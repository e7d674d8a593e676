"""A send's outcome: sent, retried later, or failed; a final failure tells officers and tries the other channel."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common import clock
from dvc_common.consumers import EventMeta
from dvc_common.events import BY_TYPE, NOTIFICATION_FAILED, CloudEvent, NotificationFailed, Payload
from dvc_common.jobs import backoff
from dvc_common.outbox import Outbox
from dvc_notify.domain.deliveries import Outcome, RetryRule, Sent, Status, fallback_channels, next_state
from dvc_notify.models import Delivery
from dvc_notify.repository import NotifyRepository
from dvc_notify.service.notifications import queue_channel
from dvc_notify.service.notifier import Notifier

log = logging.getLogger(__name__)


async def complete_delivery(
    session: AsyncSession,
    outbox: Outbox,
    notifier: Notifier,
    delivery: Delivery,
    outcome: Outcome,
    rule: RetryRule,
) -> Status | None:
    """Record a send's outcome; on a final failure, tell officers (event) and queue the fallback channel."""
    assert delivery.id is not None
    repo = NotifyRepository(session)
    now = clock.now()
    retry_after = timedelta(seconds=backoff(delivery.attempts, rule.base_seconds, rule.max_seconds))
    step = next_state(outcome, delivery.attempts, now, rule, retry_after=retry_after)
    answer = outcome.provider_answer if isinstance(outcome, Sent) else outcome.error
    done = await repo.finish(
        delivery.id,
        status=step.status,
        next_attempt_at=step.next_attempt_at,
        reason=step.reason,
        provider_answer=answer,
        sent=isinstance(outcome, Sent),
    )
    if not done:
        return None  # another worker reclaimed it after our lease ran out; its outcome counts
    if step.status is Status.FAILED:
        await _after_failure(session, outbox, notifier, delivery, step.reason or "failed")
    return step.status


async def _after_failure(
    session: AsyncSession, outbox: Outbox, notifier: Notifier, delivery: Delivery, reason: str
) -> None:
    repo = NotifyRepository(session)
    if delivery.audience != "applicant":
        # An officer's or account holder's letter: no applicant channel to fall back to, no public event.
        log.warning(
            "notification failed",
            extra={
                "channel": delivery.channel,
                "reason": reason,
                "delivery": delivery.id,
                "audience": delivery.audience,
            },
        )
        return
    contact = await repo.contact(delivery.dossier_code)
    fallback: str | None = None
    if contact is not None:
        for channel in fallback_channels(delivery.channel, contact.email, contact.phone):
            meta, payload = await _origin_event(session, delivery)
            queued = await queue_channel(
                repo,
                notifier,
                meta,
                payload,
                contact,
                channel,
                delivery.trace_id,
                delivery.traceparent,
                fallback_of=delivery.id,
            )
            if queued is not None:
                fallback = channel
                break
    await outbox.add(
        session,
        NOTIFICATION_FAILED,
        NotificationFailed(
            code=delivery.dossier_code,
            channel="zalo" if delivery.channel == "zalo" else "email",
            event_type=delivery.event_type,
            reason=reason,
            failed_at=clock.now(),
            fallback_channel="zalo" if fallback == "zalo" else "email" if fallback == "email" else None,
        ),
        subject=delivery.dossier_code,
    )
    log.warning(
        "notification failed",
        extra={
            "code": delivery.dossier_code,
            "channel": delivery.channel,
            "reason": reason,
            "fallback": fallback,
            "delivery": delivery.id,
        },
    )


async def _origin_event(session: AsyncSession, delivery: Delivery) -> tuple[EventMeta, Payload]:
    """The event a delivery was for: the fallback renders its own channel's template from it."""
    kept = await NotifyRepository(session).notified_event(delivery.event_id)
    if kept is None:
        raise RuntimeError(f"event {delivery.event_id} of delivery {delivery.id} is not kept")
    event = CloudEvent.model_validate(kept)
    return EventMeta.of(event), BY_TYPE[event.type].parse(event.data)
