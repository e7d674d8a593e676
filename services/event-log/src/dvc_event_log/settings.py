from __future__ import annotations

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings
from dvc_event_log.domain.credentials import DEV_INTEGRATOR, DEV_KEY_DIGEST


class EventLogSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_EVENT_LOG_", extra="ignore")

    service_name: str = "event-log"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_event_log")
    # Integrators allowed to read the feed: name → SHA-256 hex digests of its API keys (two while
    # rotating). JSON in the environment, e.g.
    # DVC_EVENT_LOG_INTEGRATOR_KEYS='{"so-xay-dung-erp": ["9f86d0…"]}'; `dvc-event-log new-key NAME` makes one.
    integrator_keys: dict[str, list[str]] = Field(default_factory=lambda: {DEV_INTEGRATOR: [DEV_KEY_DIGEST]})
    # Public history kept for the feed (about six months), purged by a job under a lease.
    history_retention_days: int = Field(default=183, ge=1)
    purge_interval_seconds: float = 3600.0
    purge_batch_size: int = 5000
    purge_lease_seconds: float = 600.0
    # How long an event waits for an earlier event of the same producer and subject that has not
    # arrived yet (a retry or another replica overtook it) before it is recorded anyway. Keep it
    # below the consumer's retry budget (5 attempts from 0.5 s, doubling: 7.5 s), or it dead-letters.
    source_order_wait_seconds: float = 5.0
    feed_page_max: int = 500

    @model_validator(mode="after")
    def _no_dev_key_in_production(self) -> EventLogSettings:
        if self.environment == "production" and any(
            DEV_KEY_DIGEST in digests for digests in self.integrator_keys.values()
        ):
            raise ValueError("refusing to start in production with the development integrator key")
        return self
