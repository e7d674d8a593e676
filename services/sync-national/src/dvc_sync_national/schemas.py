"""Sync-national's response models (the operator API's shapes; table models are never reused).

Fields keep the order and JSON form the routes have always answered: instants as
`datetime.isoformat()` (`+00:00`, not pydantic's `Z`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, PlainSerializer

from dvc_common.events import NationalStatus
from dvc_sync_national.models import Attempt, Change, Dossier

Instant = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")]


def _status_name(code: int | None) -> str | None:
    return None if code is None else NationalStatus(code).label_vi


class DossierSyncSummary(BaseModel):
    """Where one dossier's sync stands: our latest status, the portal's, the queue and its errors."""

    code: str
    agency_id: str | None
    latest_status: NationalStatus | None = Field(description="Our latest national status code")
    latest_status_name: str | None
    synced_status: NationalStatus | None = Field(description="The status the portal has from us")
    synced_status_name: str | None
    synced_at: Instant | None
    pending_changes: int
    blocked: str | None = Field(description="unavailable | rejected | waiting_earlier | missing_facts")
    failures: int = Field(description="Consecutive failed rounds")
    last_error: str | None
    last_attempt_at: Instant | None
    next_attempt_at: Instant | None

    @classmethod
    def of(cls, dossier: Dossier, **extra: Any) -> Self:
        return cls.model_validate(
            {
                "code": dossier.code,
                "agency_id": dossier.agency_id,
                "latest_status": dossier.latest_status,
                "latest_status_name": _status_name(dossier.latest_status),
                "synced_status": dossier.synced_status,
                "synced_status_name": _status_name(dossier.synced_status),
                "synced_at": dossier.synced_at,
                "pending_changes": dossier.pending,
                "blocked": dossier.blocked,
                "failures": dossier.failures,
                "last_error": dossier.last_error,
                "last_attempt_at": dossier.last_attempt_at,
                "next_attempt_at": dossier.next_attempt_at,
                **extra,
            }
        )


class Backlog(BaseModel):
    pending_changes: int
    pending_dossiers: int
    oldest_pending_at: Instant | None
    by_reason: dict[str, int] = Field(description="Pending dossiers by why they wait ('due': nothing blocks)")
    failing: list[DossierSyncSummary] = Field(description="The 20 most recently failing dossiers")


class ChangeOut(BaseModel):
    sequence: int
    status: NationalStatus
    previous_status: NationalStatus | None
    changed_at: Instant
    state: Literal["pending", "synced", "stale"]
    synced_at: Instant | None

    @classmethod
    def of(cls, c: Change) -> ChangeOut:
        return cls(
            sequence=c.sequence,
            status=c.status,
            previous_status=c.previous_status,
            changed_at=c.changed_at,
            state=c.state,
            synced_at=c.synced_at,
        )


class AttemptOut(BaseModel):
    at: Instant
    kind: str = Field(description="create | update | step | send | resend")
    status: NationalStatus | None
    outcome: str = Field(description="ok | duplicate | rejected | unavailable")
    error_code: str | None
    message: str | None

    @classmethod
    def of(cls, a: Attempt) -> AttemptOut:
        return cls(
            at=a.attempted_at,
            kind=a.kind,
            status=a.status,
            outcome=a.outcome,
            error_code=a.error_code,
            message=a.message,
        )


class DossierSync(DossierSyncSummary):
    """One dossier's sync with its change log and its latest calls to the portal."""

    changes: list[ChangeOut]
    attempts: list[AttemptOut]


class ResendQueued(BaseModel):
    """Pending changes go at once (`queued`), or nothing can be sent yet (`nothing_to_send`)."""

    code: str
    action: Literal["queued", "nothing_to_send"]
    pending_changes: int


class Resent(BaseModel):
    """Nothing was pending: the portal got our current record again, with its answer."""

    code: str
    action: Literal["resent"]
    error_code: str
    message: str


ResendOutcome = Annotated[ResendQueued | Resent, Field(discriminator="action")]


class Difference(BaseModel):
    code: str
    kind: Literal["missing_on_portal", "status_differs"]
    reason: Literal["in_backlog", "drift"]
    our_status: NationalStatus | None
    portal_status: int | None = Field(description="What the portal shows (its code, as it sent it)")
    pending_changes: int
    last_error: str | None


class Reconciliation(BaseModel):
    agency_id: str | None
    dossiers: int
    in_sync: int
    synced_share_percent: float = Field(description="Share of dossiers the portal shows with our status")
    differences_by_kind: dict[str, int] = Field(description="Counts by '<kind>:<reason>'")
    differences: list[Difference] = Field(description="The first 500 differences")
    checked_at: Instant
