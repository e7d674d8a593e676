"""Intake's use-cases, one module per group; they never commit: the request or message boundary does.

The names are re-exported here so that `from dvc_intake import service` keeps working for callers
(handlers, tests, the benchmark) that address a use-case without its group.
"""

from __future__ import annotations

from dvc_intake.schemas import DossierForm, StoredDocumentRef
from dvc_intake.service.catalog import procedure_for_applicants, record_procedure
from dvc_intake.service.data_store import my_dossiers, my_receipts, stored_documents
from dvc_intake.service.dossiers import DossierView, get_dossier, readable_file
from dvc_intake.service.lookup import Lookup, lookup
from dvc_intake.service.national import ProcedureNotKnownYet, receive_national_dossier
from dvc_intake.service.receipts import readable_receipts, record_receipt
from dvc_intake.service.results import add_results
from dvc_intake.service.slips import Milestone, SlipConfig, issue_slip, produce_slip, readable_slips
from dvc_intake.service.status import record_status
from dvc_intake.service.submission import submit_dossier
from dvc_intake.service.supplements import supplement_dossier
from dvc_intake.service.uploads import CheckedUpload, Limits, Upload

__all__ = [
    "CheckedUpload",
    "DossierForm",
    "DossierView",
    "Limits",
    "Lookup",
    "Milestone",
    "ProcedureNotKnownYet",
    "SlipConfig",
    "StoredDocumentRef",
    "Upload",
    "add_results",
    "get_dossier",
    "issue_slip",
    "lookup",
    "my_dossiers",
    "my_receipts",
    "procedure_for_applicants",
    "produce_slip",
    "readable_file",
    "readable_receipts",
    "readable_slips",
    "receive_national_dossier",
    "record_procedure",
    "record_receipt",
    "record_status",
    "stored_documents",
    "submit_dossier",
    "supplement_dossier",
]
