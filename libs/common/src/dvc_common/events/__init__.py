"""Public event contract: the CloudEvents envelope and the catalog of versioned payloads."""

from dvc_common.events.catalog import (
    BY_TYPE,
    CATALOG,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    INTERNAL_EXCHANGE,
    NATIONAL_STATUS_NAMES,
    PROCEDURE_PUBLISHED,
    PUBLIC_EXCHANGE,
    DossierContactRegistered,
    DossierStatusChanged,
    DossierSubmitted,
    EventType,
    Payload,
    ProcedurePublished,
    ProcessingTime,
    SubmittedFile,
)
from dvc_common.events.envelope import CONTENT_TYPE, CloudEvent

__all__ = [
    "BY_TYPE",
    "CATALOG",
    "CONTENT_TYPE",
    "DOSSIER_CONTACT_REGISTERED",
    "DOSSIER_STATUS_CHANGED",
    "DOSSIER_SUBMITTED",
    "INTERNAL_EXCHANGE",
    "NATIONAL_STATUS_NAMES",
    "PROCEDURE_PUBLISHED",
    "PUBLIC_EXCHANGE",
    "CloudEvent",
    "DossierContactRegistered",
    "DossierStatusChanged",
    "DossierSubmitted",
    "EventType",
    "Payload",
    "ProcedurePublished",
    "ProcessingTime",
    "SubmittedFile",
]
