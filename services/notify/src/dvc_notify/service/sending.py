"""Sending queued deliveries by e-mail and Zalo: claim (with a lease) → send within the provider's
budget (per provider, shared by the replicas: dvc_common.ratelimit.SharedBudget) → record the outcome.

Claiming commits before anything is sent, so two replicas never send the same row, and a row whose
worker died mid-send is claimed again once its lease runs out. E-mails carry a Message-ID fixed per
delivery and ZNS sends a tracking id fixed per delivery, so a resend after a crash is the same message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from opentelemetry import propagate, trace
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.jobs import PeriodicJob, RunAgain
from dvc_common.outbox import Outbox
from dvc_common.ratelimit import SharedBudget
from dvc_notify.domain.deliveries import Outcome, Permanent, RetryRule, Transient, zalo_phone
from dvc_notify.domain.rendering import EMAIL, ZALO
from dvc_notify.mailer import OutgoingEmail, SmtpMailer
from dvc_notify.models import Delivery
from dvc_notify.repository import NotifyRepository
from dvc_notify.service.notifier import Notifier
from dvc_notify.service.outcomes import complete_delivery
from dvc_notify.zalo import ZaloClient

log = logging.getLogger(__name__)
tracer = trace.get_tracer("dvc.notify.dispatcher")

Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class Dispatcher:
    def __init__(
        self,
        transaction: Transaction,
        outbox: Outbox,
        notifier: Notifier,
        mailer: SmtpMailer,
        zalo: ZaloClient,
        rule: RetryRule,
        *,
        batch_size: int = 50,
        concurrency: int = 8,
        lease_seconds: float = 60.0,
        email_rate: float = 50.0,
        zalo_rate: float = 20.0,
    ) -> None:
        self._transaction = transaction
        self._outbox = outbox
        self._notifier = notifier
        self._mailer = mailer
        self._zalo = zalo
        self._rule = rule
        self._batch_size = batch_size
        self._lease = lease_seconds
        # Shared by every replica (notify's database): N replicas still send at the provider's rate.
        self._limits = {
            EMAIL: SharedBudget(transaction, "notify:provider:email", email_rate),
            ZALO: SharedBudget(transaction, "notify:provider:zalo", zalo_rate),
        }
        self._slots = asyncio.Semaphore(concurrency)

    async def dispatch_once(self) -> int:
        """Claim one batch of due deliveries and send them; returns how many were attempted."""
        async with self._transaction() as session:
            claimed = await NotifyRepository(session).claim_due(self._batch_size, self._lease)
        if claimed:
            await asyncio.gather(*(self._deliver(d) for d in claimed))
        return len(claimed)

    async def _deliver(self, delivery: Delivery) -> None:
        parent = propagate.extract({"traceparent": delivery.traceparent} if delivery.traceparent else {})
        with tracer.start_as_current_span("notify.send", context=parent) as span:
            span.set_attribute("dvc.channel", delivery.channel)
            span.set_attribute("dvc.delivery", delivery.id or 0)
            async with self._slots:
                await self._limits[delivery.channel].acquire()
                outcome = await self._send(delivery)
            try:
                async with self._transaction() as session:
                    status = await complete_delivery(
                        session, self._outbox, self._notifier, delivery, outcome, self._rule
                    )
            except Exception:
                # The claim's lease runs out and the row is taken again: never lost.
                log.exception("recording a delivery outcome failed", extra={"delivery": delivery.id})
                return
            log.info(
                "notification delivery",
                extra={
                    "code": delivery.dossier_code,
                    "channel": delivery.channel,
                    "delivery": delivery.id,
                    "attempt": delivery.attempts,
                    "status": status,
                    "answer": getattr(outcome, "provider_answer", None) or getattr(outcome, "error", None),
                },
            )

    async def _send(self, delivery: Delivery) -> Outcome:
        try:
            if delivery.channel == EMAIL:
                headers = {"X-DVC-Dossier": delivery.dossier_code, "X-DVC-Event-Id": str(delivery.event_id)}
                if delivery.trace_id:
                    headers["X-DVC-Trace-Id"] = delivery.trace_id
                return await self._mailer.send(
                    OutgoingEmail(
                        recipient=delivery.recipient,
                        subject=delivery.subject,
                        body_text=delivery.body_text,
                        body_html=delivery.body_html,
                        message_id=delivery.message_id or f"<delivery-{delivery.id}@dvc>",
                        headers=headers,
                    )
                )
            if delivery.channel == ZALO:
                phone = zalo_phone(delivery.recipient)
                if phone is None:
                    return Permanent("invalid_phone", f"số điện thoại không hợp lệ: {delivery.recipient}")
                return await self._zalo.send(
                    phone, delivery.zalo_template_id or "", delivery.zalo_data or {}, f"dvc-{delivery.id}"
                )
        except Exception as exc:  # a bug or an unexpected answer must not lose the message
            log.exception("send failed unexpectedly", extra={"delivery": delivery.id})
            return Transient(f"{type(exc).__name__}: {exc}")
        return Permanent("unknown_channel", f"kênh không hỗ trợ: {delivery.channel}")


def dispatch_job(dispatcher: Dispatcher, *, idle_seconds: float) -> PeriodicJob:
    """The dispatcher's loop on every replica: at once while work is left, else every `idle_seconds`
    (or when a consumer queued work and called `wake()`); after a failure 0.5 s, doubling up to 10 s."""

    async def dispatch() -> RunAgain | None:
        attempted = await dispatcher.dispatch_once()
        return RunAgain() if attempted else None

    return PeriodicJob("notify-dispatcher", dispatch, every=idle_seconds, retry_base=0.5, retry_cap=10.0)
