"""CloudEvents 1.0 (JSON structured mode) envelope used on every exchange."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

CONTENT_TYPE = "application/cloudevents+json"


class CloudEvent(BaseModel):
    """One event as it travels on the broker; `data` is validated against the catalog by the consumer."""

    model_config = ConfigDict(frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: UUID
    type: str
    source: str
    subject: str
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]
    sequence: int = Field(ge=1, description="Per-subject, strictly increasing for one source.")
    correlationid: str
    traceparent: str | None = None

    @property
    def routing_key(self) -> str:
        return self.type.removeprefix("vn.dvc.")
