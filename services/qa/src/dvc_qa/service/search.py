"""The public search: what a question's folded search text is made of."""

from __future__ import annotations

from dvc_qa.domain.text import fold
from dvc_qa.models import Question


def search_text(question: Question, agency_name: str, procedure_name: str | None) -> str:
    parts = [question.title, question.body, question.answer or "", agency_name]
    parts += [question.field_name or "", procedure_name or "", question.procedure_code or ""]
    return fold(" ".join(parts))
