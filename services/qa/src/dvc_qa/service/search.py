"""The public search: answered questions by folded words (with or without diacritics) and filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_qa.domain.questions import Status
from dvc_qa.domain.text import fold
from dvc_qa.errors import answered_question_not_found
from dvc_qa.models import Question
from dvc_qa.repository import PublicRow, QaRepository, SearchFilter

MAX_WORDS = 12  # words past these add little and make the query dearer


def search_words(text: str | None) -> tuple[str, ...]:
    """The folded words a search looks for."""
    return tuple(fold(text or "").split())[:MAX_WORDS]


def search_text(question: Question, agency_name: str, procedure_name: str | None) -> str:
    parts = [question.title, question.body, question.answer or "", agency_name]
    parts += [question.field_name or "", procedure_name or "", question.procedure_code or ""]
    return fold(" ".join(parts))


@dataclass(frozen=True)
class PublicPage:
    rows: list[PublicRow]
    next_key: tuple[datetime, UUID] | None  # (answered_at, id) of the last row when more follow


async def search(
    session: AsyncSession,
    text: str | None,
    *,
    agency_id: str | None,
    field_name: str | None,
    procedure_code: str | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> PublicPage:
    """One page of answered questions, newest answer first."""
    where = SearchFilter(search_words(text), agency_id, field_name, procedure_code)
    rows = await QaRepository(session).search(where, limit=limit + 1, after=after)
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more and rows else None
    return PublicPage(rows, (last.answered_at, last.id) if last and last.answered_at else None)


async def answered_question(session: AsyncSession, question_id: UUID) -> Question:
    question = await QaRepository(session).question(question_id)
    if question is None or question.status != Status.ANSWERED:
        raise answered_question_not_found()
    return question
