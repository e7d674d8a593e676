"""Q&A's HTTP routes, one module per resource (in the order the API document lists them)."""

from __future__ import annotations

from dvc_qa.api import agencies, faq, officer, questions

ROUTERS = (questions.router, agencies.router, officer.router, faq.router)
