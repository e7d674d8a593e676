"""Reading the procedure catalog (national procedure database format, JSON or CSV) and fingerprinting
each procedure's content."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dvc_common.events import FeeLine, ProcessingTime

AgencyLevel = Literal["province", "department", "district", "commune"]
Delivery = Literal["counter", "post", "online"]


HOURS_PER_WORKING_DAY = 8
_TIME_TEXT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(giờ làm việc|giờ|ngày làm việc|ngày)\s*$", re.IGNORECASE)
UNIT_VI = {"working_hours": "giờ làm việc", "working_days": "ngày làm việc", "calendar_days": "ngày"}
_TEXT_UNITS = {
    "giờ làm việc": "working_hours",
    "giờ": "working_hours",
    "ngày làm việc": "working_days",
    "ngày": "calendar_days",
}


def parse_processing_time(value: object) -> object:
    """The legal processing time as the national database words it ("0,5 ngày làm việc", "04 giờ làm
    việc", "30 ngày", "trong ngày") or as `{value, unit}`; a decimal comma is accepted. Kept exact: a
    fraction must be a whole number of working hours ("0,5 ngày làm việc" = 4 giờ làm việc)."""
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in ("trong ngày", "trong ngày làm việc"):
            # Within the working day of receipt: the day's working hours (after 15:00, the next day's).
            return {"value": HOURS_PER_WORKING_DAY, "unit": "working_hours"}
        match = _TIME_TEXT.match(text)
        if match is None:
            raise ValueError(f"Thời hạn giải quyết «{text}» không đọc được (ví dụ: «15 ngày làm việc»).")
        value = {"value": match[1].replace(",", "."), "unit": _TEXT_UNITS[match[2].lower()]}
    if isinstance(value, dict) and isinstance(value.get("value"), str):
        value = {**value, "value": value["value"].replace(",", ".")}
    return value


def _counter_only() -> list[Delivery]:
    return ["counter"]


class PerformingAgency(BaseModel):
    """One agency performing a procedure (cơ quan thực hiện): who receives its dossiers, its fees (the
    procedure's when not given) and whose beneficiary account collects them (its own when not given)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    agency_id: str
    agency_name: str
    receiving_agency_id: str | None = Field(
        default=None, description="The one-stop desk receiving for it (None = its own)"
    )
    fees: list[FeeLine] | None = Field(default=None, description="Its fees; None = the procedure's fees")
    beneficiary_agency_id: str | None = Field(
        default=None, description="Whose beneficiary account collects its fees (None = its own)"
    )


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
    agencies: list[PerformingAgency] = Field(
        default_factory=list, description="The agencies performing it; `agency_id` alone when empty"
    )

    _read_processing_time = field_validator("processing_time", mode="before")(parse_processing_time)

    @field_validator("processing_time")
    @classmethod
    def _whole_working_hours(cls, legal: ProcessingTime) -> ProcessingTime:
        hours = legal.value * (HOURS_PER_WORKING_DAY if legal.unit == "working_days" else 1)
        if not float(hours).is_integer():
            amount = f"{legal.value:g}".replace(".", ",")
            raise ValueError(
                f"Thời hạn giải quyết «{amount} {UNIT_VI[legal.unit]}» phải là một số giờ làm việc nguyên "
                "(ví dụ «0,5 ngày làm việc» là 4 giờ làm việc)."
            )
        return legal

    def performing_agencies(self) -> list[PerformingAgency]:
        """Every performing agency, the procedure's own `agency_id` always among them (first if absent)."""
        listed = list(self.agencies)
        if not any(a.agency_id == self.agency_id for a in listed):
            listed.insert(0, PerformingAgency(agency_id=self.agency_id, agency_name=self.agency_name))
        return listed

    def performing_agency(self, agency_id: str) -> PerformingAgency | None:
        return next((a for a in self.performing_agencies() if a.agency_id == agency_id), None)

    def fees_of(self, agency_id: str) -> list[FeeLine]:
        agency = self.performing_agency(agency_id)
        return list(self.fees if agency is None or agency.fees is None else agency.fees)

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
    if not isinstance(entries, list):
        raise CatalogUnreadable("Tệp JSON phải là một danh sách các thủ tục.")
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
                        "value": row["processing_time_value"],
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


class CatalogUnreadable(ValueError):
    """An imported catalog that cannot be read; the message is Vietnamese, for the operator."""


def read_catalog(raw: bytes, *, is_csv: bool) -> list[ProcedureDefinition]:
    """An uploaded catalog (JSON or CSV, UTF-8) or `CatalogUnreadable` saying, in Vietnamese, what and where."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogUnreadable(
            f"Tệp danh mục không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start}); "
            "vui lòng lưu tệp với bảng mã UTF-8 rồi nhập lại."
        ) from exc
    try:
        return parse_csv(text) if is_csv else parse_json(text)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or 'thủ tục'}: {_message(err)}"
            for err in exc.errors()[:5]
        ]
        raise CatalogUnreadable("Thủ tục không hợp lệ — " + "; ".join(problems)) from exc
    except json.JSONDecodeError as exc:
        raise CatalogUnreadable(f"Tệp JSON không hợp lệ (dòng {exc.lineno}, cột {exc.colno}).") from exc
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise CatalogUnreadable(
            "Tệp danh mục sai cấu trúc (thiếu cột hoặc giá trị sai định dạng, ví dụ phí phải là "
            "«loại:số tiền:tên»); vui lòng đối chiếu mẫu CSDL quốc gia."
        ) from exc


def _message(error: Any) -> str:
    """Our validators' own (Vietnamese) sentence, else a Vietnamese word for pydantic's kind of error."""
    msg = str(error.get("msg", "")).removeprefix("Value error, ")
    if not msg.isascii():
        return msg
    return {"missing": "thiếu thông tin bắt buộc.", "extra_forbidden": "trường không có trong mẫu."}.get(
        str(error.get("type")), "giá trị sai định dạng."
    )


def load_catalog(path: Path) -> list[ProcedureDefinition]:
    text = path.read_text(encoding="utf-8")
    return parse_csv(text) if path.suffix.lower() == ".csv" else parse_json(text)
