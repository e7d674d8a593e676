"""Reading the procedure catalog (national procedure database format, JSON or CSV) and fingerprinting
each procedure's content."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dvc_common.events import FeeLine, ProcessingTime

AgencyLevel = Literal["province", "department", "district", "commune"]
Delivery = Literal["counter", "post", "online"]


def _counter_only() -> list[Delivery]:
    return ["counter"]


class ProcedureDefinition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^\d\.\d{6}\.\d{3}\.\d{2}\.\d{2}\.H\d{2}$")
    name: str = Field(min_length=3)
    field_name: str
    agency_id: str
    agency_name: str
    agency_level: AgencyLevel = "department"
    processing_time: ProcessingTime
    online_level: str = Field(pattern="^(full|partial)$")
    components: list[str]
    eform_schema: dict[str, Any] | None = Field(default=None, description="JSON Schema of the e-form")
    fees: list[FeeLine] = Field(default_factory=list)
    result_documents: list[str] = Field(default_factory=list)
    signature_required: bool = False
    result_delivery: list[Delivery] = Field(default_factory=_counter_only)

    @property
    def revision(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


CSV_COLUMNS = (
    "code",
    "name",
    "field_name",
    "agency_id",
    "agency_name",
    "agency_level",
    "processing_time_value",
    "processing_time_unit",
    "online_level",
    "components",
    "fees",
    "result_documents",
    "signature_required",
    "result_delivery",
)


def parse_json(text: str) -> list[ProcedureDefinition]:
    entries = json.loads(text)
    return [ProcedureDefinition.model_validate(entry) for entry in entries]


def parse_csv(text: str) -> list[ProcedureDefinition]:
    """CSV export of the national database: lists separated by `|`, fees as `kind:amount:name`."""
    procedures = []
    for row in csv.DictReader(io.StringIO(text)):
        fees = []
        for item in _items(row.get("fees")):
            kind, amount, name = item.split(":", 2)
            fees.append({"kind": kind, "amount": int(amount), "name": name})
        procedures.append(
            ProcedureDefinition.model_validate(
                {
                    "code": row["code"],
                    "name": row["name"],
                    "field_name": row["field_name"],
                    "agency_id": row["agency_id"],
                    "agency_name": row["agency_name"],
                    "agency_level": row.get("agency_level") or "department",
                    "processing_time": {
                        "value": float(row["processing_time_value"]),
                        "unit": row["processing_time_unit"],
                    },
                    "online_level": row["online_level"],
                    "components": _items(row.get("components")),
                    "fees": fees,
                    "result_documents": _items(row.get("result_documents")),
                    "signature_required": (row.get("signature_required") or "").lower()
                    in ("1", "true", "có"),
                    "result_delivery": _items(row.get("result_delivery")) or ["counter"],
                }
            )
        )
    return procedures


def _items(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def load_catalog(path: Path) -> list[ProcedureDefinition]:
    text = path.read_text(encoding="utf-8")
    return parse_csv(text) if path.suffix.lower() == ".csv" else parse_json(text)
