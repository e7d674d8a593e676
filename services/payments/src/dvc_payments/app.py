"""Builds the payments service's FastAPI app, broker and reconciliation job; nothing else."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.jobs import PeriodicJob
from dvc_common.outbox import outbox_for
from dvc_common.runtime import ServiceRuntime, create_app
from dvc_common.tokens import verifier_for
from dvc_payments.api import ROUTERS
from dvc_payments.handlers import consumers
from dvc_payments.platform import PaymentPlatform, PlatformConfig
from dvc_payments.service import Payments
from dvc_payments.settings import PaymentsSettings


def build(settings: PaymentsSettings | None = None) -> FastAPI:
    settings = settings or PaymentsSettings()
    tz = ZoneInfo(settings.timezone)
    platform = PaymentPlatform(
        PlatformConfig(
            url=settings.platform_url,
            partner_code=settings.partner_code,
            secret_key=settings.secret_key.get_secret_value(),
            timeout=settings.platform_timeout_seconds,
            tz=tz,
        )
    )
    runtime: ServiceRuntime | None = None

    def transaction() -> AbstractAsyncContextManager[AsyncSession]:
        # The runtime's unit of work (it wakes the outbox relay); bound once the runtime exists.
        assert runtime is not None
        return runtime.transaction()

    payments = Payments(
        transaction,
        outbox_for(settings),
        platform,
        public_url=settings.public_url,
        tz=tz,
        reconcile_lease_seconds=settings.reconcile_lease_seconds,
        reconcile_min_age_seconds=settings.reconcile_min_age_seconds,
    )
    runtime = ServiceRuntime(settings, consumers(payments))
    reconciliation = PeriodicJob(
        "payments-reconcile",
        payments.reconciliation.scheduled,
        every=settings.reconcile_interval_seconds,
        lease=payments.reconciliation.lease,
    )
    runtime.clock.on_change(lambda _: reconciliation.wake())  # a clock jump: the days it passed
    app = create_app(
        runtime,
        title="DVC — Thanh toán phí, lệ phí (payments)",
        description=(
            "Thanh toán phí, lệ phí trực tuyến qua Nền tảng thanh toán trên Cổng Dịch vụ công quốc gia: biểu phí "
            "và tài khoản thụ hưởng của cơ quan, khởi tạo giao dịch, xác thực kết quả, chứng từ nộp ngân sách, đối soát."
        ),
        routers=ROUTERS,
        on_startup=[reconciliation.on_startup],
        on_shutdown=[reconciliation.on_shutdown],
    )
    app.state.payments = payments
    app.state.token_verifier = verifier_for(settings)
    return app


app = build()
