"""The forms intake issues, drawn with `dvc_common.pdf` (sources: see `forms.common`)."""

from dvc_intake.forms.apology import render_apology
from dvc_intake.forms.lookup_page import LookupPage, LookupProblem, render_lookup_page, render_lookup_problem
from dvc_intake.forms.model import (
    Apology,
    Applicant,
    BankReceipt,
    Component,
    FeeItem,
    Officer,
    ReceiptSlip,
    Refusal,
    SlipFacts,
    StopNotice,
    SupplementRequest,
)
from dvc_intake.forms.payment_receipt import from_bank_document, render_payment_receipt
from dvc_intake.forms.receipt import render_receipt
from dvc_intake.forms.refusal import render_refusal
from dvc_intake.forms.stopped import render_stop_notice
from dvc_intake.forms.supplement import render_supplement_request

__all__ = [
    "Apology",
    "Applicant",
    "BankReceipt",
    "Component",
    "FeeItem",
    "LookupPage",
    "LookupProblem",
    "Officer",
    "ReceiptSlip",
    "Refusal",
    "SlipFacts",
    "StopNotice",
    "SupplementRequest",
    "from_bank_document",
    "render_apology",
    "render_lookup_page",
    "render_lookup_problem",
    "render_payment_receipt",
    "render_receipt",
    "render_refusal",
    "render_stop_notice",
    "render_supplement_request",
]
