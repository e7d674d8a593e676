from __future__ import annotations

from dvc_common.settings import ServiceSettings
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_NOTIFY_", extra="ignore")

    service_name: str = "notify"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_notify")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_from: str = "Hệ thống một cửa điện tử <khong-tra-loi@dichvucong.example.gov.vn>"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    timezone: str = "Asia/Ho_Chi_Minh"
