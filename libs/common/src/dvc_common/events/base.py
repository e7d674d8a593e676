"""What every event shares: the exchanges, the payload base class and `EventType` (routing key → payload).

Transport: every producer's relay publishes every event, public or not, on `dvc.internal`, and our
own services' queues bind there. `dvc.events`, the integrators' exchange, has one publisher: the
event-log service, which republishes each public event with its integrator-facing `sequence`.

Tolerant reader: a producer cannot build a payload with a field the catalog does not declare
(`extra="forbid"`), but a consumer parsing an event (`EventType.parse`) ignores fields it does not
know, at every level, so a producer may add optional fields inside a major version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ModelWrapValidatorHandler, ValidationInfo, model_validator

PUBLIC_EXCHANGE = "dvc.events"


INTERNAL_EXCHANGE = "dvc.internal"

# Validation context under which payloads drop unknown fields instead of refusing them.
TOLERANT_READER: dict[str, bool] = {"tolerant_reader": True}


class Audience(StrEnum):
    """Who may read an event: integrators too (republished on dvc.events), or our own services only."""

    PUBLIC = "public"
    INTERNAL = "internal"  # personal data or implementation detail: never leaves dvc.internal


PUBLIC = Audience.PUBLIC
INTERNAL = Audience.INTERNAL


def _open_schema(schema: dict[str, Any]) -> None:
    # The documented schema is what readers must accept: more fields may appear within a major
    # version, so it must not say `additionalProperties: false` even though producers forbid them.
    schema.pop("additionalProperties", None)


class Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_open_schema)

    @model_validator(mode="wrap")
    @classmethod
    def _ignore_unknown_when_reading(
        cls, data: Any, handler: ModelWrapValidatorHandler[Self], info: ValidationInfo
    ) -> Self:
        if isinstance(data, dict) and info.context and info.context.get("tolerant_reader"):
            known = set(cls.model_fields) | {f.alias for f in cls.model_fields.values() if f.alias}
            data = {key: value for key, value in data.items() if key in known}
        return handler(data)


P = TypeVar("P", bound=Payload)


@dataclass(frozen=True, eq=False)  # identity: one object per routing key, usable as a dict key
class EventType(Generic[P]):
    """One versioned event: its payload model, who may read it, who produces it and what it means.

    `producer` is the service whose outbox adds it (the CloudEvents `source` is `dvc-<producer>`).
    `stream` names the aggregate its `subject` identifies; the integrator-facing `sequence` counts
    per stream and subject (payments and notification events of a dossier have the dossier code as
    subject and count in the dossier's stream). Defaults to the event's own aggregate.
    """

    aggregate: str
    name: str
    version: int
    payload: type[P]
    audience: Audience
    summary: str
    example: P
    producer: str
    subject_stream: str | None = None

    @property
    def routing_key(self) -> str:
        return f"{self.aggregate}.{self.name}.v{self.version}"

    @property
    def ce_type(self) -> str:
        return f"vn.dvc.{self.routing_key}"

    @property
    def public(self) -> bool:
        return self.audience is Audience.PUBLIC

    @property
    def exchange(self) -> str:
        """The transport exchange producers publish on and our queues bind to: always dvc.internal."""
        return INTERNAL_EXCHANGE

    @property
    def stream(self) -> str:
        return self.subject_stream or self.aggregate

    @property
    def source(self) -> str:
        return f"dvc-{self.producer}"

    def parse(self, data: dict[str, Any]) -> P:
        """A consumer's view of `data`: validated, fields this catalog does not know ignored."""
        return self.payload.model_validate(data, context=TOLERANT_READER)


# Instants the catalog's examples use (docs/events.md shows them).
T0 = datetime.fromisoformat("2026-02-23T08:15:00+07:00")
T1 = datetime.fromisoformat("2026-03-16T08:15:00+07:00")
