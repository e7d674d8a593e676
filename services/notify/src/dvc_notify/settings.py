from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_NOTIFY_", extra="ignore")

    service_name: str = "notify"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_notify")
    timezone: str = "Asia/Ho_Chi_Minh"
    # The public look-up of a dossier's progress (Lai Châu Điều 13) that every mail links to: the
    # portal's look-up page <DVC_INTAKE_PUBLIC_BASE_URL>/tra-cuu/{code}, the page the slips' QR opens
    # (default: the portal's default address); `{code}` is replaced.
    public_lookup_url: str = "http://127.0.0.1:8000/tra-cuu/{code}"
    # Where the asker reads the published answer (`{question_id}` is replaced).
    public_question_url: str = "http://127.0.0.1:8006/api/v1/questions/{question_id}"
    # The portal officers sign in to (their letters link to the dossier there); the stack's portal
    # address when DVC_PORTAL_PUBLIC_URL is set for the whole deployment.
    public_portal_url: str = Field(
        default="http://127.0.0.1:8000",
        validation_alias=AliasChoices("DVC_NOTIFY_PUBLIC_PORTAL_URL", "DVC_PORTAL_PUBLIC_URL"),
    )

    # E-mail over SMTP.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_from: str = "Hệ thống một cửa điện tử <khong-tra-loi@dichvucong.example.gov.vn>"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    smtp_rate_per_second: float = 50.0
    message_id_domain: str = "dichvucong.example.gov.vn"

    # Zalo Official Account (ZNS). Defaults point at the sandbox simulator.
    zalo_oauth_url: str = "http://127.0.0.1:8090/zalo/oauth/v4/oa/access_token"
    zalo_zns_url: str = "http://127.0.0.1:8090/zalo/message/template"
    zalo_app_id: str = "sandbox-zalo-app"
    zalo_secret_key: SecretStr = SecretStr("dev-zalo-secret")
    zalo_refresh_token: SecretStr = SecretStr("dev-zalo-refresh-token")
    zalo_timeout_seconds: float = 10.0
    zalo_rate_per_second: float = 20.0

    # Delivery: claim-before-send with a lease, retries with backoff, then failure and fallback.
    dispatch_batch_size: int = 50
    dispatch_concurrency: int = 8
    dispatch_idle_seconds: float = 0.1
    dispatch_lease_seconds: float = 60.0
    delivery_max_attempts: int = 8
    delivery_retry_base_seconds: float = 2.0
    delivery_retry_max_seconds: float = 600.0
