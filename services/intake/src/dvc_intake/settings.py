from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_INTAKE_", extra="ignore")

    service_name: str = "intake"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_intake")
    blob_backend: Literal["local", "s3"] = "local"
    blob_dir: Path = Path("var/blobs")
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: SecretStr = SecretStr("minioadmin")
    s3_secret_key: SecretStr = SecretStr("minioadmin")
    s3_bucket: str = "dvc-dossiers"
    s3_secure: bool = False
    max_file_bytes: int = 20 * 1024 * 1024
    max_files: int = 20
    timezone: str = "Asia/Ho_Chi_Minh"
    # The antivirus scanner every upload passes (scanning.py). "none" is a development setting only:
    # production refuses to start with it. clamav: clamd over TCP (host, port) or its Unix socket.
    scanner: Literal["none", "clamav"] = "clamav"
    clamav_host: str = "127.0.0.1"
    clamav_port: int = 3310
    clamav_socket: Path | None = None
    # Identity's base URL, for resolving counter dossiers' owners (POST /api/v1/citizens/resolve);
    # empty: the token issuer (identity's own address in a stack).
    identity_url: str = ""

    @model_validator(mode="after")
    def _scanner_required_in_production(self) -> IntakeSettings:
        if self.environment == "production" and self.scanner == "none":
            raise ValueError(
                "refusing to start in production without an antivirus scanner (DVC_INTAKE_SCANNER=none)"
            )
        return self

    @property
    def identity_base_url(self) -> str:
        return self.identity_url or self.token_issuer

    # Public look-up (GET /api/v1/lookup/{code}): requests per client address per minute (the address
    # behind DVC_INTAKE_TRUSTED_PROXIES, e.g. '["10.0.0.0/8"]' for the ingress).
    lookup_per_minute: int = 30
    # Slips (Mẫu 01–05, biên lai): the font directory (DejaVu Sans); the public address of the portal,
    # whose web look-up page <public_base_url>/tra-cuu/<code> the QR code on every slip opens; the
    # place of the date line under the national motto (e.g. "Lai Châu"; empty: the date alone).
    font_dir: Path = Path("/usr/share/fonts/truetype/dejavu")
    public_base_url: str = "http://127.0.0.1:8000"  # the portal, whose /tra-cuu/<code> is the look-up page
    forms_place: str | None = None
    # Postal return of results (bưu chính công ích), shown on Mẫu 01; 0: "per the postal tariff".
    postal_fee_vnd: int = 0
