from __future__ import annotations

from dvc_common.settings import ServiceSettings
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict


class SyncNationalSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_SYNC_NATIONAL_", extra="ignore")

    service_name: str = "sync-national"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_sync_national")
    portal_url: str = "http://127.0.0.1:8090/national-portal"
    portal_api_key: SecretStr = SecretStr("sandbox-dev-key")
    portal_timeout_seconds: float = 10.0
    timezone: str = "Asia/Ho_Chi_Minh"
    # The portal may be down for a while: retry longer than the platform default before dead-lettering.
    consumer_max_attempts: int = 10
    consumer_retry_base_ms: int = 1000
