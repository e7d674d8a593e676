"""What every event shares: the exchanges, the payload base class and `EventType` (routing key → payload)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

PUBLIC_EXCHANGE = "dvc.events"


INTERNAL_EXCHANGE = "dvc.internal"


class Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


P = TypeVar("P", bound=Payload)


@dataclass(frozen=True, eq=False)  # identity: one object per routing key, usable as a dict key
class EventType(Generic[P]):
    aggregate: str
    name: str
    version: int
    payload: type[P]
    exchange: str
    summary: str
    example: P

    @property
    def routing_key(self) -> str:
        return f"{self.aggregate}.{self.name}.v{self.version}"

    @property
    def ce_type(self) -> str:
        return f"vn.dvc.{self.routing_key}"

    def parse(self, data: dict[str, Any]) -> P:
        return self.payload.model_validate(data)


# Instants the catalog's examples use (docs/events.md shows them).
T0 = datetime.fromisoformat("2026-02-23T08:15:00+07:00")
T1 = datetime.fromisoformat("2026-03-16T08:15:00+07:00")
