"""Frequently asked questions, kept by the provincial operator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_qa.domain.rules import Violation, language_violations
from dvc_qa.domain.text import fold, normalise
from dvc_qa.errors import faq_not_found, rejected
from dvc_qa.models import Faq
from dvc_qa.repository import QaRepository
from dvc_qa.service.context import now_utc
from dvc_qa.service.search import search_words


@dataclass(frozen=True)
class FaqInput:
    question: str
    answer: str
    field_name: str | None = None
    agency_id: str | None = None
    position: int = 0


async def save_faq(session: AsyncSession, data: FaqInput, faq_id: int | None = None) -> Faq:
    repo = QaRepository(session)
    question, answer_text = normalise(data.question), normalise(data.answer)
    violations = language_violations(question, "question") + language_violations(answer_text, "answer")
    if not question or not answer_text:
        violations.append(Violation("empty", "question", "Câu hỏi và câu trả lời không được để trống."))
    if violations:
        raise rejected(violations)
    faq = (
        await repo.faq(faq_id)
        if faq_id is not None
        else Faq(question="", answer="", search_text="", updated_at=now_utc())
    )
    if faq is None:
        raise faq_not_found(faq_id)
    faq.question, faq.answer = question, answer_text
    faq.field_name, faq.agency_id, faq.position = data.field_name, data.agency_id, data.position
    faq.search_text = fold(f"{question} {answer_text} {data.field_name or ''}")
    faq.updated_at = now_utc()
    repo.add(faq)
    await repo.flush()
    return faq


async def faqs(session: AsyncSession, text: str | None) -> list[Faq]:
    """The FAQ in the operator's order, those with every word when words are given."""
    return await QaRepository(session).faqs(search_words(text), 200)


async def delete_faq(session: AsyncSession, faq_id: int) -> None:
    repo = QaRepository(session)
    faq = await repo.faq(faq_id)
    if faq is None:
        raise faq_not_found(faq_id)
    await repo.delete_faq(faq)
