"""Settings base shared by every service: the environment is the configuration."""

from __future__ import annotations

import ipaddress
from typing import Literal
from urllib.parse import urlsplit

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
DEV_SECRET_MARKERS = ("guest:guest", "dev-", "changeme", "minioadmin")
# A service's metrics port is its HTTP port + this (intake 8001 → 8051), in every deployment.
METRICS_PORT_OFFSET = 50


class ServiceSettings(BaseSettings):
    """Fields every service has. Each service subclasses it once with its own env prefix."""

    model_config = SettingsConfigDict(extra="ignore", env_file=None)

    service_name: str = "dvc"
    # production: the system clock is the wall clock, fixed; development and training: the provincial
    # operator may move it forward (dvc_common.clock).
    environment: Literal["development", "training", "production"] = "development"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc")
    amqp_url: SecretStr = SecretStr(DEV_AMQP_URL)
    db_pool_size: int = 10  # connections kept per process; as many again may overflow
    otlp_endpoint: str | None = None
    log_level: str = "INFO"
    log_json: bool = True
    # Tokens are verified locally against identity's published keys (dvc_common.tokens).
    jwks_url: str = "http://127.0.0.1:8007/.well-known/jwks.json"
    token_issuer: str = "http://127.0.0.1:8007"
    token_audience: str = "dvc"
    # Reverse proxies (CIDRs, e.g. the ingress's pod network) whose X-Forwarded-For is believed;
    # empty: the socket peer is the client (dvc_common.client_address).
    trusted_proxies: list[str] = []
    # Prometheus metrics are served on their own port, never by the public app (its /metrics is a
    # 404): by convention the HTTP port + METRICS_PORT_OFFSET (intake 8001 → 8051, portal 8050),
    # inside the cluster only (deploy/). None: not served (a service's own tests).
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"
    # Where this process reads the system clock's setting at start and every `clock_resync_seconds`
    # (identity's GET /api/v1/clock/setting); changes also arrive as clock.changed.v1. None: not
    # followed (the wall clock, e.g. a service's own tests). Ignored in production.
    clock_url: str | None = None
    clock_resync_seconds: float = 30.0
    # Outbox relay and consumer tuning.
    relay_batch_size: int = 200
    relay_idle_seconds: float = 0.05
    relay_partitions: int = 8
    consumer_max_attempts: int = 5
    consumer_retry_base_ms: int = 500
    consumer_prefetch: int = 32

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, cidrs: list[str]) -> list[str]:
        for cidr in cidrs:
            ipaddress.ip_network(cidr.strip(), strict=False)  # ValueError names the bad one
        return cidrs

    def secret_fields(self) -> dict[str, SecretStr]:
        return {name: value for name, value in self if isinstance(value, SecretStr)}

    @model_validator(mode="after")
    def _refuse_default_secrets_in_production(self) -> ServiceSettings:
        if self.environment != "production":
            return self
        weak = [name for name, value in self.secret_fields().items() if _is_weak(value.get_secret_value())]
        if weak:
            raise ValueError(
                f"refusing to start in production with default or empty secrets: {', '.join(sorted(weak))}"
            )
        return self


def _is_weak(secret: str) -> bool:
    if not secret or any(marker in secret for marker in DEV_SECRET_MARKERS):
        return True
    # A connection URL must carry a password of its own.
    return "://" in secret and not urlsplit(secret).password
