"""Reading the procedure catalog file and fingerprinting each procedure's content."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from dvc_common.events import ProcessingTime


class ProcedureDefinition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^\d\.\d{6}\.\d{3}\.\d{2}\.\d{2}\.H\d{2}$")
    name: str = Field(min_length=3)
    field_name: str
    agency_id: str
    agency_name: str
    processing_time: ProcessingTime
    online_level: str = Field(pattern="^(full|partial)$")
    components: list[str]

    @property
    def revision(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def load_catalog(path: Path) -> list[ProcedureDefinition]:
    entries = json.loads(path.read_text(encoding="utf-8"))
    return [ProcedureDefinition.model_validate(entry) for entry in entries]
