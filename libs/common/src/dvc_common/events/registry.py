"""The catalog: every event type in documentation order, and look-ups by CloudEvents type and routing key."""

from __future__ import annotations

from typing import Any

from dvc_common.events.base import EventType
from dvc_common.events.dossier import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_DUE_SOON,
    DOSSIER_EXTENDED,
    DOSSIER_OVERDUE,
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_RESUBMITTED,
    DOSSIER_RESULT_ATTACHED,
    DOSSIER_RESULT_READY,
    DOSSIER_RESULT_RETURNED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_STEP_CHANGED,
    DOSSIER_STEP_OVERDUE,
    DOSSIER_STOPPED,
    DOSSIER_SUBMITTED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DOSSIER_WITHDRAWN,
)
from dvc_common.events.identity import (
    AGENCY_UPSERTED,
    OFFICER_CREDENTIALS_ISSUED,
    OFFICER_LOCKED,
    OFFICER_UPSERTED,
)
from dvc_common.events.national import NATIONAL_DOSSIER_RECEIVED
from dvc_common.events.notification import NOTIFICATION_FAILED
from dvc_common.events.payment import (
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_MISMATCH,
    PAYMENT_RECEIPT_ISSUED,
    PAYMENT_REQUESTED,
)
from dvc_common.events.procedure import PROCEDURE_PUBLISHED
from dvc_common.events.question import (
    QUESTION_ANSWERED,
    QUESTION_ASKED,
    QUESTION_CONTACT_REGISTERED,
    QUESTION_DECLINED,
    QUESTION_DUE_SOON,
    QUESTION_OVERDUE,
)

# The version of the contract integrators read (docs/asyncapi.json `info.version`, the changelog
# docs/events-changelog.md, the release snapshot docs/catalog-release.json). Bump the minor version
# for additions (a new event type, an optional field); a breaking change inside an event type is
# never allowed (publish `<aggregate>.<event>.v<major+1>` beside it); retiring an event type or
# changing the envelope needs a new major version. `dvc events check-compat` enforces this.
CATALOG_VERSION = "3.0.0"

# The order is the order of docs/events.md and docs/asyncapi.json.
CATALOG: tuple[EventType[Any], ...] = (
    PROCEDURE_PUBLISHED,
    DOSSIER_SUBMITTED,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_STEP_CHANGED,
    NATIONAL_DOSSIER_RECEIVED,
    NOTIFICATION_FAILED,
    AGENCY_UPSERTED,
    OFFICER_UPSERTED,
    OFFICER_LOCKED,
    OFFICER_CREDENTIALS_ISSUED,
    PAYMENT_REQUESTED,
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_MISMATCH,
    PAYMENT_RECEIPT_ISSUED,
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DOSSIER_EXTENDED,
    DOSSIER_WITHDRAWN,
    DOSSIER_STOPPED,
    DOSSIER_RESULT_ATTACHED,
    DOSSIER_RESULT_READY,
    DOSSIER_RESULT_RETURNED,
    DOSSIER_DUE_SOON,
    DOSSIER_OVERDUE,
    DOSSIER_STEP_OVERDUE,
    DOSSIER_RESUBMITTED,
    QUESTION_ASKED,
    QUESTION_ANSWERED,
    QUESTION_DECLINED,
    QUESTION_DUE_SOON,
    QUESTION_OVERDUE,
    QUESTION_CONTACT_REGISTERED,
)
PUBLIC_CATALOG: tuple[EventType[Any], ...] = tuple(event for event in CATALOG if event.public)
BY_TYPE: dict[str, EventType[Any]] = {event.ce_type: event for event in CATALOG}
BY_ROUTING_KEY: dict[str, EventType[Any]] = {event.routing_key: event for event in CATALOG}


def event_type_of(routing_key: str) -> EventType[Any]:
    """The catalog entry of a routing key (`dossier.submitted.v1`); KeyError when there is none."""
    return BY_ROUTING_KEY[routing_key]
