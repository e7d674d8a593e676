"""Delivery rules: which channels to use, what a provider's answer means, when to retry, where to fall back."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from dvc_common.events import DossierStatusChanged, Payload, PaymentFailed, PaymentMismatch
from dvc_notify.domain.rendering import EMAIL, ZALO


def worth_telling(payload: Payload) -> bool:
    """A status event whose status did not change is no news for the applicant (a hand-over between
    steps inside «Đang xử lý»; an extension, which comes with its own letter: the apology and the new
    date): a mail saying the dossier «moved to» the status it already had would mislead."""
    if isinstance(payload, DossierStatusChanged):
        return payload.previous_status != payload.status
    if isinstance(payload, PaymentFailed):
        # A wrong amount was taken: the mismatch's letter says how much and that it is refunded; a
        # "not charged" failure letter would contradict it.
        return payload.error_code != AMOUNT_MISMATCH
    if isinstance(payload, PaymentMismatch):
        return payer_concerned(payload)
    return True


AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
# Mismatches where the payer's money was taken and will be refunded, found when the payment came in
# (reconciliation's own findings are the accountant's to check before anyone is told).
REFUNDED_KINDS = ("amount_mismatch", "duplicate_payment", "paid_after_cancellation")


def payer_concerned(mismatch: PaymentMismatch) -> bool:
    return (
        mismatch.kind in REFUNDED_KINDS
        and mismatch.dossier_code is not None
        and mismatch.settlement_date is None
        and bool(mismatch.settled_amount)
    )


class Status(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class Sent:
    provider_answer: str


@dataclass(frozen=True)
class Transient:
    """Try again later: the provider is down, busy or rate limiting."""

    error: str
    counts: bool = True  # a rate-limit answer is not the message's fault: it does not use up attempts


@dataclass(frozen=True)
class Permanent:
    """Retrying cannot help: the address is wrong or the citizen cannot receive on this channel."""

    reason: str
    error: str


Outcome = Sent | Transient | Permanent


@dataclass(frozen=True)
class Next:
    status: Status
    next_attempt_at: datetime | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RetryRule:
    """Transient failures are retried up to `max_attempts` sends, after a delay doubling from
    `base_seconds` up to `max_seconds` (the shared backoff, computed by the caller)."""

    max_attempts: int = 8
    base_seconds: float = 2.0
    max_seconds: float = 600.0


def next_state(
    outcome: Outcome, attempts: int, now: datetime, rule: RetryRule, *, retry_after: timedelta
) -> Next:
    """Where a delivery goes after a send attempt numbered `attempts` (1 for the first);
    `retry_after` is the backoff delay for that attempt."""
    if isinstance(outcome, Sent):
        return Next(Status.SENT)
    if isinstance(outcome, Permanent):
        return Next(Status.FAILED, reason=outcome.reason)
    if not outcome.counts:
        return Next(Status.QUEUED, now + timedelta(seconds=min(rule.base_seconds, 1.0)))
    if attempts >= rule.max_attempts:
        return Next(Status.FAILED, reason="retries_exhausted")
    return Next(Status.QUEUED, now + retry_after)


def address_for(channel: str, email: str | None, phone: str | None) -> str | None:
    return email if channel == EMAIL else phone if channel == ZALO else None


def chosen_channels(chosen: Sequence[str] | None, email: str | None, phone: str | None) -> list[str]:
    """The channels to notify on: as chosen at submission; when not stated, e-mail if there is an address."""
    if chosen:
        return [c for c in dict.fromkeys(chosen) if c in (EMAIL, ZALO)]
    if email:
        return [EMAIL]
    return [ZALO] if phone else []


def fallback_channels(failed: str, email: str | None, phone: str | None) -> list[str]:
    """The other registered channels (with an address) to try after `failed` failed for good."""
    return [c for c in (EMAIL, ZALO) if c != failed and address_for(c, email, phone)]


_PHONE = re.compile(r"^(?:\+?84|0)([0-9]{9,10})$")


def zalo_phone(phone: str) -> str | None:
    """Zalo wants the international form without '+': 0912345678 → 84912345678."""
    match = _PHONE.fullmatch(phone.replace(" ", "").replace(".", ""))
    return f"84{match.group(1)}" if match else None
