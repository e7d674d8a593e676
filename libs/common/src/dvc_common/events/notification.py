"""Notification events: a message to the applicant could not be delivered on a channel."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from dvc_common.events.base import PUBLIC, T0, EventType, Payload


class NotificationFailed(Payload):
    """A notification could not be delivered on a channel (no personal data: officers look it up)."""

    code: str = Field(description="Dossier code the notification was about")
    channel: Literal["email", "zalo"]
    event_type: str = Field(description="Routing key of the event the applicant was to be told about")
    reason: str = Field(description="Short machine-readable reason, e.g. not_following_oa, invalid_address")
    failed_at: datetime
    fallback_channel: Literal["email", "zalo"] | None = Field(
        default=None, description="The other registered channel tried instead, if any"
    )


NOTIFICATION_FAILED = EventType(
    "notification",
    "failed",
    1,
    NotificationFailed,
    PUBLIC,
    "A notification to the applicant failed for good on one channel (recorded, and another channel tried).",
    NotificationFailed(
        code="000.00.14.H56-260223-0001",
        channel="zalo",
        event_type="dossier.status_changed.v1",
        reason="not_following_oa",
        failed_at=T0,
        fallback_channel="email",
    ),
    producer="notify",
    subject_stream="dossier",
)
