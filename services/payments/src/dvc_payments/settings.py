from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings


class PaymentsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_PAYMENTS_", extra="ignore")

    service_name: str = "payments"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_payments")
    timezone: str = "Asia/Ho_Chi_Minh"

    # The national payment platform (defaults: the sandbox simulator) and our partner credentials.
    platform_url: str = "http://127.0.0.1:8090/payment-platform"
    partner_code: str = "DVC_LAICHAU"
    secret_key: SecretStr = SecretStr("dev-payment-secret")
    platform_timeout_seconds: float = 10.0
    # Where the platform sends the citizen back (browser) and the callback (server to server).
    public_url: str = "http://127.0.0.1:8003"

    # Reconciliation: one replica at a time (database lease), every interval.
    reconcile_interval_seconds: float = 300.0
    reconcile_lease_seconds: float = 120.0
    reconcile_min_age_seconds: float = 60.0  # leave fresh attempts to their callback first
