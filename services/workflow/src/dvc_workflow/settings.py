from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from dvc_common.settings import ServiceSettings

SEED_CATALOG = Path(__file__).parent / "seed" / "procedures.json"


class WorkflowSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DVC_WORKFLOW_", extra="ignore")

    service_name: str = "workflow"
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/dvc_workflow")
    catalog_file: Path = SEED_CATALOG
    province: str = "lai-chau"  # working-time calendar profile (dvc_common.worktime)
    # Official decisions not shipped yet (extra days off, swapped working Saturdays), as decision files
    # (dvc_common.worktime.parse_decision), applied in order over the shipped calendar. JSON list.
    calendar_decisions: list[Path] = Field(default_factory=list)
    supervisor_interval_seconds: float = 30.0
    supervisor_lease_seconds: float = 90.0
    supervisor_enabled: bool = True
    # Anonymous look-up by code (GET /api/v1/dossiers/{code}): requests per client address per minute,
    # as intake's DVC_INTAKE_LOOKUP_PER_MINUTE. Who may read the dossier is not limited.
    lookup_per_minute: int = 30
    # The control slip and the register (PDF): the font directory (DejaVu Sans) and the place of the
    # date line under the national motto (e.g. "Lai Châu"; empty: the date alone).
    font_dir: Path = Path("/usr/share/fonts/truetype/dejavu")
    forms_place: str | None = None
