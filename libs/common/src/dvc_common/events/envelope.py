"""CloudEvents 1.0 (JSON structured mode) envelopes: the one our services exchange on `dvc.internal`,
and the one integrators read on `dvc.events` and from the event-log's history feed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

CONTENT_TYPE = "application/cloudevents+json"

# The integrator-facing sequence is a decimal string of this many digits, zero-padded, so that it
# orders lexicographically as the CloudEvents sequence extension requires.
SEQUENCE_DIGITS = 20


class CloudEvent(BaseModel):
    """One event as it travels on `dvc.internal`; `data` is validated against the catalog by the consumer.

    `sequence` here is the producer's own counter: per source and subject, from 1. It stays internal
    (our consumers use it to drop stale updates); integrators get the event-log's `PublicEvent`.
    """

    model_config = ConfigDict(frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: UUID
    type: str
    source: str
    subject: str
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]
    sequence: int = Field(ge=1, description="Per-subject, strictly increasing for one source (internal).")
    correlationid: str
    traceparent: str | None = None

    @property
    def routing_key(self) -> str:
        return self.type.removeprefix("vn.dvc.")


class PublicEvent(BaseModel):
    """One public event as integrators receive it on `dvc.events` and from `GET /api/v1/events`.

    The same fields as the internal envelope, except `sequence`: the event's number in its subject's
    stream (all public events of one dossier, whichever service produced them), from 1, gap-free,
    as a zero-padded decimal string.
    """

    model_config = ConfigDict(frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: UUID = Field(
        description="Unique per event; the same on dvc.events and in the feed (deduplicate by it)"
    )
    type: str = Field(description="vn.dvc.<aggregate>.<event>.v<major>")
    source: str = Field(description="The producing service, e.g. dvc-workflow")
    subject: str = Field(description="The dossier code (or the id of the aggregate the event is about)")
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]
    sequence: str = Field(
        pattern=rf"^[0-9]{{{SEQUENCE_DIGITS}}}$",
        description="Position in the subject's stream: 1, 2, 3 … without gaps, zero-padded to 20 digits",
    )
    correlationid: str
    traceparent: str | None = None

    @property
    def routing_key(self) -> str:
        return self.type.removeprefix("vn.dvc.")

    @property
    def position(self) -> int:
        return int(self.sequence)


def public_sequence(position: int) -> str:
    """`1` → `"00000000000000000001"`: the CloudEvents sequence string of a stream position."""
    if position < 1:
        raise ValueError("stream positions start at 1")
    return f"{position:0{SEQUENCE_DIGITS}d}"
