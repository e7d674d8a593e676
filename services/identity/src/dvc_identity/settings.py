from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_IDENTITY_", extra="ignore")

    service_name: str = "identity"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_identity")
    # The issuer of our tokens is identity's public base URL; every service verifies against it.
    public_url: str = "http://127.0.0.1:8007"
    audience: str = "dvc"
    access_token_seconds: int = 300
    refresh_token_seconds: int = 8 * 3600
    # Private signing keys are stored encrypted with this passphrase (PEM, best available encryption).
    signing_key_passphrase: SecretStr = SecretStr("dev-signing-key-passphrase")
    # Argon2id, RFC 9106 second recommended option (64 MiB, t=3, p=4): the production parameters.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    # Brute force: an account locks for a while after this many failures in a row; a client address
    # is throttled after this many failures in the window, whatever account it tries.
    max_failed_logins: int = 5
    failed_login_lock_minutes: int = 15
    address_failures_per_window: int = 20
    address_window_seconds: int = 300
    # Citizens and organisations: VNeID (OpenID Connect, authorization code + PKCE).
    vneid_url: str = "http://127.0.0.1:8090/vneid"
    vneid_client_id: str = "dvc-dev"
    vneid_client_secret: SecretStr = SecretStr("dev-sandbox-vneid-secret")
    # Where VNeID sends the browser back with the authorization code: the portal's return page
    # (e.g. https://dichvucong.laichau.gov.vn/cong-dan/vneid/ket-qua), which hands code and state to
    # identity's callback and keeps the tokens in its own session. Empty: identity's own callback,
    # which answers the tokens as JSON (API clients).
    vneid_return_url: str = ""
    oidc_login_seconds: int = 600
    # National population database (Cơ sở dữ liệu quốc gia về dân cư).
    population_url: str = "http://127.0.0.1:8090/population"
    population_api_key: SecretStr = SecretStr("dev-sandbox-population-key")
    seed_agencies: bool = True
    # The audit chain is verified this many records at a time (memory stays bounded).
    audit_verify_page: int = Field(default=1000, ge=1)
    http_timeout_seconds: float = 10.0

    @property
    def vneid_redirect_uri(self) -> str:
        return self.vneid_return_url or self.public_url.rstrip("/") + "/api/v1/citizen/callback"
