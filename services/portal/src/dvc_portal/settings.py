from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings


class PortalSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_PORTAL_", extra="ignore")

    service_name: str = "portal"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_portal")
    # The address people open; https:// makes the session cookie Secure (behind TLS).
    public_url: str = "http://127.0.0.1:8000"
    # The services the pages call, with the signed-in person's token.
    identity_url: str = "http://127.0.0.1:8007"
    workflow_url: str = "http://127.0.0.1:8002"
    intake_url: str = "http://127.0.0.1:8001"
    http_timeout_seconds: float = 15.0
    # A session ends after this long without use, and at the latest when its refresh token does.
    session_idle_minutes: int = 60
    # Anonymous sessions (a form was shown: sign-in, for its CSRF token) last this long.
    anonymous_session_minutes: int = 30

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def session_cookie(self) -> str:
        # The __Host- prefix (Secure, no Domain, Path=/) where the browser will accept it.
        return "__Host-dvc-phien" if self.secure_cookies else "dvc-phien"
