from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings


class QaSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_QA_", extra="ignore")

    service_name: str = "qa"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_qa")
