"""Answers and declines: what the asker and the public learn (answer, publish a draft, decline with a reason)."""

from __future__ import annotations

from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import QUESTION_ANSWERED, QUESTION_DECLINED, QuestionAnswered, QuestionDeclined
from dvc_common.principal import Principal
from dvc_qa.domain.questions import Action
from dvc_qa.domain.rules import DECLINE_REASON_MIN_CHARS
from dvc_qa.domain.text import mask_personal_numbers
from dvc_qa.models import Question
from dvc_qa.repository import QaRepository
from dvc_qa.service.agency_work import officer_identity, officer_text, take
from dvc_qa.service.context import QaContext
from dvc_qa.service.search import search_text


async def _publish(
    session: AsyncSession,
    ctx: QaContext,
    question: Question,
    answer: str,
    name: str,
    position: str,
    officer: Principal,
) -> Question:
    repo = QaRepository(session)
    agency = await repo.agency(question.agency_id)
    agency_name = agency.name if agency else question.agency_id
    now = ctx.now()
    question.answer, _ = mask_personal_numbers(answer)
    question.answer_agency_name = agency_name
    question.answerer_name, question.answerer_position = name, position
    question.published_by = officer.subject
    question.answered_at = now
    procedure = await repo.procedure(question.procedure_code) if question.procedure_code else None
    question.search_text = search_text(question, agency_name, procedure.name if procedure else None)
    await repo.flush()
    await ctx.outbox.add(
        session,
        QUESTION_ANSWERED,
        QuestionAnswered(
            question_id=str(question.id),
            agency_id=question.agency_id,
            agency_name=agency_name,
            answerer_name=name,
            answerer_position=position,
            answered_at=now,
            on_time=now <= question.due_at,
            answer=question.answer,
        ),
        subject=str(question.id),
    )
    return question


async def answer(
    session: AsyncSession,
    ctx: QaContext,
    officer: Principal,
    question_id: UUID,
    text: str,
    expected_version: int | None = None,
) -> Question:
    """The focal officer answers directly; the answer is public at once."""
    question = await take(session, question_id, officer, Action.ANSWER, expected_version)
    name, position = officer_identity(officer)
    return await _publish(session, ctx, question, officer_text(text, "answer"), name, position, officer)


async def publish(
    session: AsyncSession,
    ctx: QaContext,
    officer: Principal,
    question_id: UUID,
    edited: str | None = None,
    expected_version: int | None = None,
) -> Question:
    """The focal officer publishes the department's draft (edited or not); the drafter is the answerer."""
    question = await take(session, question_id, officer, Action.PUBLISH, expected_version)
    text = officer_text(edited, "answer") if edited else question.draft or ""
    name = question.drafted_by_name or ""
    position = question.drafted_by_position or ""
    if edited:
        name, position = officer_identity(officer)
    return await _publish(session, ctx, question, text, name, position, officer)


async def decline(
    session: AsyncSession,
    ctx: QaContext,
    officer: Principal,
    question_id: UUID,
    reason: str,
    expected_version: int | None = None,
) -> Question:
    question = await take(session, question_id, officer, Action.DECLINE, expected_version)
    # The reason goes to the asker and onto the public exchange: no personal numbers in it.
    question.decline_reason, _ = mask_personal_numbers(
        officer_text(reason, "reason", min_chars=DECLINE_REASON_MIN_CHARS)
    )
    question.declined_at = ctx.now()
    await QaRepository(session).flush()
    await ctx.outbox.add(
        session,
        QUESTION_DECLINED,
        QuestionDeclined(
            question_id=str(question.id),
            agency_id=question.agency_id,
            reason=question.decline_reason,
            declined_at=question.declined_at,
        ),
        subject=str(question.id),
    )
    return question
