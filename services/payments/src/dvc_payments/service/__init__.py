"""Payments' use-cases, one module per group; `Payments` is what routes, handlers and the
reconciliation job are given.

Steps that talk to the national payment platform run outside database transactions; each database
step is its own unit of work (`uow`) and re-checks state under a row lock, so a repeated callback,
a concurrent QUERY or a second INIT for a paid request changes nothing.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.db import UnitOfWork
from dvc_common.events import DossierStatusChanged, DossierSubmitted, ProcedurePublished
from dvc_common.lease import Lease
from dvc_common.outbox import Outbox
from dvc_common.principal import Principal
from dvc_payments.models import PaymentRequest
from dvc_payments.platform import PaymentPlatform
from dvc_payments.service import (
    checkout,
    confirmation,
    counter,
    fee_schedules,
    payment_requests,
    receipts,
    reconciliation,
)
from dvc_payments.service.context import Outcome, PaymentsContext

__all__ = ["Outcome", "Payments"]


class Payments(PaymentsContext):
    def __init__(
        self,
        uow: UnitOfWork,
        outbox: Outbox,
        platform: PaymentPlatform,
        *,
        public_url: str,
        tz: ZoneInfo,
        reconcile_lease_seconds: float = 120.0,
        reconcile_min_age_seconds: float = 60.0,
    ) -> None:
        super().__init__(uow, outbox, platform, public_url=public_url, tz=tz)
        lease = Lease(uow, table="payments_lease", name="reconcile", ttl_seconds=reconcile_lease_seconds)
        self.reconciliation = reconciliation.ReconciliationRuns(
            self, lease, min_age_seconds=reconcile_min_age_seconds
        )

    # Configuration (agency) and the catalog's fees
    set_fee_schedule = staticmethod(fee_schedules.set_fee_schedule)
    set_account = staticmethod(fee_schedules.set_account)
    record_agency = staticmethod(fee_schedules.record_agency)
    configuration_problems = staticmethod(fee_schedules.configuration_problems)

    async def adopt_catalog_fees(self, session: AsyncSession, published: ProcedurePublished) -> None:
        await fee_schedules.adopt_catalog_fees(self, session, published)

    # Requests from dossier events
    async def record_submission(self, session: AsyncSession, submitted: DossierSubmitted) -> None:
        await payment_requests.record_submission(self, session, submitted)

    async def follow_status(self, session: AsyncSession, changed: DossierStatusChanged) -> None:
        await payment_requests.follow_status(self, session, changed)

    # The citizen pays; the platform confirms
    async def start(self, payment_id: str, payer: Principal) -> dict[str, Any]:
        return await checkout.start(self, payment_id, payer)

    async def record_counter_payment(
        self,
        payment_id: str,
        officer: Principal,
        *,
        method: counter.CounterMethod,
        card_reference: str | None,
    ) -> PaymentRequest:
        return await counter.record_counter_payment(
            self, payment_id, officer, method=method, card_reference=card_reference
        )

    async def callback(self, body: dict[str, Any]) -> Outcome:
        return await confirmation.callback(self, body)

    async def confirm(self, reference: str) -> Outcome:
        return await confirmation.confirm(self, reference)

    async def return_from_platform(
        self, reference: str, principal: Principal | None = None
    ) -> tuple[Outcome, PaymentRequest | None]:
        return await confirmation.return_from_platform(self, reference, principal)

    async def fetch_receipt(self, payment_id: str) -> bool:
        return await receipts.fetch_receipt(self, payment_id)

    # Reconciliation
    async def reconcile(self, *, min_age_seconds: float, days: int = 2) -> dict[str, Any]:
        return await reconciliation.reconcile(self, min_age_seconds=min_age_seconds, days=days)

    async def reconcile_now(self) -> dict[str, Any]:
        """An operator's pass (`POST /reconciliation/run`)."""
        return await self.reconciliation.now()
