"""What every payments use-case works with: units of work, the outbox, the national payment platform."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from dvc_common import clock
from dvc_common.db import UnitOfWork
from dvc_common.outbox import Outbox
from dvc_payments.platform import PaymentPlatform


def now() -> datetime:
    return clock.now()


def new_payment_id(at: datetime, tz: ZoneInfo) -> str:
    return f"TT-{at.astimezone(tz):%y%m%d}-{secrets.token_hex(4).upper()}"


@dataclass(frozen=True)
class Outcome:
    """What one verification did, for the caller and the tests."""

    reference: str
    verdict: str  # paid | already_paid | duplicate | pending | failed | amount_mismatch | not_found
    payment_id: str | None = None


class PaymentsContext:
    def __init__(
        self, uow: UnitOfWork, outbox: Outbox, platform: PaymentPlatform, *, public_url: str, tz: ZoneInfo
    ) -> None:
        self.uow = uow
        self.outbox = outbox
        self.platform = platform
        self.public_url = public_url.rstrip("/")
        self.tz = tz
