from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings


class QaSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_QA_", extra="ignore")

    service_name: str = "qa"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_qa")
    # Working-time calendar of the province (dvc_common.worktime provinces.json).
    province: str = "lai-chau"
    # due_soon is emitted this many working hours before the answer deadline.
    due_soon_working_hours: int = 4
    # Deadline scheduler: how often a replica looks for due-soon and overdue questions, lease length.
    deadline_scan_seconds: float = 30.0
    deadline_lease_seconds: float = 90.0
    deadline_batch_size: int = 200
