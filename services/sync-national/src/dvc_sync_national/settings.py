from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings


class SyncNationalSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_SYNC_NATIONAL_", extra="ignore")

    service_name: str = "sync-national"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_sync_national")
    portal_url: str = "http://127.0.0.1:8090/national-portal"
    portal_api_key: SecretStr = SecretStr("sandbox-dev-key")
    portal_timeout_seconds: float = 10.0
    timezone: str = "Asia/Ho_Chi_Minh"
    # Consumers only write the change log (no portal call), so the platform's retries suffice.
    consumer_max_attempts: int = 10
    consumer_retry_base_ms: int = 1000
    # The dispatcher: dossiers per round, changes per dossier per round, records per portal call.
    dispatch_dossiers: int = 200
    dispatch_per_dossier: int = 50
    dispatch_batch: int = 200
    dispatch_idle_seconds: float = 0.2
    # Per-dossier backoff after a failure (portal down, timeout, error_code not "0").
    retry_base_seconds: float = 1.0
    retry_max_seconds: float = 60.0
    # Dossiers submitted on the national portal are fetched this often (seconds; 0 turns it off),
    # by the replica holding the inbound lease (another takes over when it expires).
    inbound_poll_seconds: float = 2.0
    inbound_lease_seconds: float = 30.0
