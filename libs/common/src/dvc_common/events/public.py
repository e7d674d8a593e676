"""The public projection of every public event: the only part of its payload that reaches integrators.

Our services read the whole payload on `dvc.internal`. On `dvc.events` and in the event-log's
history feed an event shows only its projection, declared here as a whitelist: each public event
type names the fields of its payload it shows, so a field added to a payload later stays internal
until someone adds it here. Nested models are projected the same way (a nested payload model
without a public view of its own cannot appear in a projection).

A projection carries no personal data and no identifier that links a person's dossiers (Nghị định
13/2023): no names, identification numbers, phones, e-mails, addresses, file names or document
hashes, no owner or payer subjects, no officers' names, positions or ids, no free text typed by
an officer or an applicant (notes, reasons, supplement items). Codes, statuses, times, counts and
amounts are public. `tests` guard both rules: no projection field whose name or description
suggests personal data, and every projection is a strict subset of its payload.
"""

from __future__ import annotations

import copy
import functools
import operator
import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, create_model

from dvc_common.events.base import TOLERANT_READER, EventType, Payload
from dvc_common.events.dossier import (
    DOSSIER_DUE_SOON,
    DOSSIER_EXTENDED,
    DOSSIER_OVERDUE,
    DOSSIER_RECEIVED,
    DOSSIER_REJECTED,
    DOSSIER_RESUBMITTED,
    DOSSIER_RESULT_READY,
    DOSSIER_RESULT_RETURNED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_STEP_OVERDUE,
    DOSSIER_STOPPED,
    DOSSIER_SUBMITTED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DOSSIER_WITHDRAWN,
    DossierDeadline,
    DossierExtended,
    DossierMilestone,
    DossierReceived,
    DossierResubmitted,
    DossierStatusChanged,
    DossierSubmitted,
    ProcessingStep,
    SubmittedFile,
)
from dvc_common.events.identity import AGENCY_UPSERTED, AgencyUpserted
from dvc_common.events.notification import NOTIFICATION_FAILED, NotificationFailed
from dvc_common.events.payment import (
    PAYMENT_COMPLETED,
    PAYMENT_FAILED,
    PAYMENT_MISMATCH,
    PAYMENT_REQUESTED,
    FeeLine,
    PaymentCompleted,
    PaymentFailed,
    PaymentMismatch,
    PaymentRequested,
)
from dvc_common.events.procedure import (
    PROCEDURE_PUBLISHED,
    ProcedureAgency,
    ProcedurePublished,
    ProcessingTime,
)
from dvc_common.events.question import (
    QUESTION_ANSWERED,
    QUESTION_ASKED,
    QUESTION_DECLINED,
    QUESTION_DUE_SOON,
    QUESTION_OVERDUE,
    QuestionAnswered,
    QuestionAsked,
    QuestionDeadline,
    QuestionDeclined,
)


class NotPublic(KeyError):
    """The event type has no public projection: it never leaves dvc.internal."""


# Each payload model's public view (a nested model's too), filled by `_view`.
_PUBLIC_OF: dict[type[BaseModel], type[Payload]] = {}


def _view(
    source: type[Payload], doc: str, *names: str, describe: Mapping[str, str] | None = None
) -> type[Payload]:
    """`Public<Source>`: the fields `names` of `source`, with their types, defaults, constraints and
    descriptions (or the description given in `describe`); nested models replaced by their views."""
    describe = describe or {}
    if unknown := set(describe) - set(names):
        raise ValueError(f"{source.__name__}: descriptions for fields not shown: {sorted(unknown)}")
    fields: dict[str, Any] = {}
    for name in names:
        info = copy.copy(source.model_fields[name])  # KeyError: a projection shows only payload fields
        if name in describe:
            info.description = describe[name]
        annotation = _swap(info.annotation, where=f"{source.__name__}.{name}")
        info.annotation = annotation
        fields[name] = (annotation, info)
    model: type[Payload] = create_model(
        f"Public{source.__name__}", __base__=Payload, __doc__=doc, __module__=__name__, **fields
    )
    _PUBLIC_OF[source] = model
    return model


def _swap(annotation: Any, *, where: str) -> Any:
    """The annotation with every payload model replaced by its public view (`list[X] | None` too)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in _PUBLIC_OF:
            raise TypeError(f"{where}: declare the public view of {annotation.__name__} first")
        return _PUBLIC_OF[annotation]
    origin: Any = get_origin(annotation)
    arguments = get_args(annotation)
    if origin is None or not arguments:
        return annotation
    swapped = tuple(_swap(argument, where=where) for argument in arguments)
    if origin is Union or origin is types.UnionType:
        return functools.reduce(operator.or_, swapped)
    if origin is list:
        return types.GenericAlias(list, swapped)
    return annotation if swapped == arguments else origin[swapped]


_DOSSIER = ("code", "procedure_code", "agency_id")

PublicSubmittedFile = _view(
    SubmittedFile,
    "A document of the dossier: its type and size (its name and hash stay internal).",
    "content_type",
    "size",
)
PublicFeeLine = _view(FeeLine, "A fee of the procedure (phí, lệ phí).", "kind", "name", "amount")
PublicProcessingTime = _view(ProcessingTime, "The legal processing time.", "value", "unit")
PublicProcedureAgency = _view(
    ProcedureAgency,
    "An agency performing the procedure, with its fees.",
    "agency_id",
    "agency_name",
    "receiving_agency_id",
    "fees",
    "beneficiary_agency_id",
)
PublicProcessingStep = _view(
    ProcessingStep,
    "The processing step behind a status change: what was done, where and its time budget (no officer).",
    "department",
    "content",
    "started_at",
    "due_at",
)

PublicProcedurePublished = _view(
    ProcedurePublished,
    "A procedure of the catalog (public-service information).",
    "code",
    "name",
    "field_name",
    "agency_id",
    "agency_name",
    "processing_time",
    "online_level",
    "components",
    "revision",
    "fees",
    "result_documents",
    "signature_required",
    "result_delivery",
    "form_schema",
    "agencies",
    describe={
        "agencies": "The agencies performing the procedure (always includes `agency_id`); one is chosen per dossier"
    },
)
PublicDossierSubmitted = _view(
    DossierSubmitted,
    "A dossier was submitted: its procedure, agency, channel and its documents' types and sizes.",
    *_DOSSIER,
    "channel",
    "applicant_kind",
    "submitted_at",
    "files",
    "national_reference",
    describe={
        "channel": "1 at the counter, 2 online, 3 postal",
        "applicant_kind": "1 individual, 2 enterprise, 3 state agency, 4 other",
    },
)
PublicDossierStatusChanged = _view(
    DossierStatusChanged,
    "The dossier's national status changed (no notes).",
    *_DOSSIER,
    "status",
    "status_name",
    "previous_status",
    "changed_at",
    "received_at",
    "appointment_at",
    "step",
)
PublicDossierReceived = _view(
    DossierReceived,
    "A dossier was received: the receipt instant and the appointment, with the rule behind it.",
    *_DOSSIER,
    "received_at",
    "appointment_at",
    "appointment_rule",
    "explanation",
    "supplement_count",
    "recorded_at",
    describe={"recorded_at": "When the receipt was recorded (differs from received_at after 15:00)"},
)
PublicDossierMilestone = _view(
    DossierMilestone,
    "A lifecycle milestone of the dossier: when, and the result's classification or delivery (no reasons).",
    *_DOSSIER,
    "at",
    "timeliness",
    "delivery_method",
)
PublicDossierExtended = _view(
    DossierExtended,
    "The appointment was extended: the old and the new appointment (the reason stays internal).",
    *_DOSSIER,
    "extended_at",
    "previous_appointment_at",
    "appointment_at",
)
PublicDossierDeadline = _view(
    DossierDeadline, "A deadline is near or has passed.", *_DOSSIER, "kind", "due_at", "step"
)
PublicDossierResubmitted = _view(
    DossierResubmitted,
    "The dossier was supplemented: the round and its documents' types and sizes.",
    *_DOSSIER,
    "resubmitted_at",
    "supplement_round",
    "files",
)
PublicNotificationFailed = _view(
    NotificationFailed,
    "A notification about a dossier could not be delivered on a channel.",
    "code",
    "channel",
    "event_type",
    "failed_at",
    "fallback_channel",
    describe={"event_type": "Routing key of the event the notification was about"},
)
PublicAgencyUpserted = _view(
    AgencyUpserted,
    "An agency of the tree (public-service information).",
    "agency_id",
    "name",
    "level",
    "parent_id",
    "active",
    "updated_at",
)
_PAYMENT = ("payment_id", "dossier_code", "agency_id")
PublicPaymentRequested = _view(
    PaymentRequested,
    "A fee to pay for a dossier.",
    *_PAYMENT,
    "procedure_code",
    "amount",
    "fee_lines",
    "requested_at",
)
PublicPaymentCompleted = _view(
    PaymentCompleted,
    "A payment was verified (the platform's transaction and the bank stay internal).",
    *_PAYMENT,
    "amount",
    "paid_at",
)
PublicPaymentFailed = _view(
    PaymentFailed, "A payment attempt failed.", *_PAYMENT, "amount", "failed_at", "error_code"
)
PublicPaymentMismatch = _view(
    PaymentMismatch,
    "Reconciliation found a disagreement with the settlement list.",
    *_PAYMENT,
    "reference",
    "kind",
    "expected_amount",
    "settled_amount",
    "detected_at",
    "settlement_date",
)
PublicQuestionAsked = _view(
    QuestionAsked,
    "A question was accepted by the Q&A section (nothing about the asker).",
    "question_id",
    "agency_id",
    "procedure_code",
    "field_name",
    "asked_at",
    "due_at",
    "deadline_rule",
)
PublicQuestionAnswered = _view(
    QuestionAnswered,
    "A question's answer was published (read it on the portal).",
    "question_id",
    "agency_id",
    "agency_name",
    "answered_at",
    "on_time",
)
PublicQuestionDeclined = _view(
    QuestionDeclined, "The agency declined a question.", "question_id", "agency_id", "declined_at"
)
PublicQuestionDeadline = _view(
    QuestionDeadline,
    "An unanswered question is close to or past its deadline.",
    "question_id",
    "agency_id",
    "status",
    "due_at",
)

_MILESTONES = (
    DOSSIER_REJECTED,
    DOSSIER_SUPPLEMENT_REQUESTED,
    DOSSIER_WITHDRAWN,
    DOSSIER_STOPPED,
    DOSSIER_RESULT_READY,
    DOSSIER_RESULT_RETURNED,
)
_VIEWS: dict[EventType[Any], type[Payload]] = {
    PROCEDURE_PUBLISHED: PublicProcedurePublished,
    DOSSIER_SUBMITTED: PublicDossierSubmitted,
    DOSSIER_STATUS_CHANGED: PublicDossierStatusChanged,
    NOTIFICATION_FAILED: PublicNotificationFailed,
    AGENCY_UPSERTED: PublicAgencyUpserted,
    PAYMENT_REQUESTED: PublicPaymentRequested,
    PAYMENT_COMPLETED: PublicPaymentCompleted,
    PAYMENT_FAILED: PublicPaymentFailed,
    PAYMENT_MISMATCH: PublicPaymentMismatch,
    DOSSIER_RECEIVED: PublicDossierReceived,
    **dict.fromkeys(_MILESTONES, PublicDossierMilestone),
    DOSSIER_EXTENDED: PublicDossierExtended,
    DOSSIER_DUE_SOON: PublicDossierDeadline,
    DOSSIER_OVERDUE: PublicDossierDeadline,
    DOSSIER_STEP_OVERDUE: PublicDossierDeadline,
    DOSSIER_RESUBMITTED: PublicDossierResubmitted,
    QUESTION_ASKED: PublicQuestionAsked,
    QUESTION_ANSWERED: PublicQuestionAnswered,
    QUESTION_DECLINED: PublicQuestionDeclined,
    QUESTION_DUE_SOON: PublicQuestionDeadline,
    QUESTION_OVERDUE: PublicQuestionDeadline,
}
# Routing key → the public model of its payload.
PUBLIC_VIEWS: dict[str, type[Payload]] = {event.routing_key: model for event, model in _VIEWS.items()}


def public_payload(event: EventType[Any]) -> type[Payload]:
    """The model of what integrators see of `event`; NotPublic for an internal event (or one without a view)."""
    model = PUBLIC_VIEWS.get(event.routing_key) if event.public else None
    if model is None:
        raise NotPublic(event.routing_key)
    return model


def project(event: EventType[Any], data: Mapping[str, Any] | Payload) -> dict[str, Any]:
    """The public view of an event's data (its payload, or the payload's JSON): the whitelisted fields only."""
    raw = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    return public_payload(event).model_validate(raw, context=TOLERANT_READER).model_dump(mode="json")
