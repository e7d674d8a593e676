"""Builds the payments service's FastAPI app and broker; nothing else."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_common.runtime import ServiceRuntime, create_app
from dvc_payments.settings import PaymentsSettings


def build(settings: PaymentsSettings | None = None) -> FastAPI:
    settings = settings or PaymentsSettings()
    return create_app(
        ServiceRuntime(settings),
        title="DVC — Thanh toán phí, lệ phí (payments)",
        description="Thanh toán phí, lệ phí trực tuyến qua Nền tảng thanh toán quốc gia.",
    )


app = build()
