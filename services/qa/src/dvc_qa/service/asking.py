"""Asking: a citizen or organisation signed in with VNeID sends a question to one agency."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.events import (
    QUESTION_ASKED,
    QUESTION_CONTACT_REGISTERED,
    QuestionAsked,
    QuestionContactRegistered,
)
from dvc_common.principal import Principal
from dvc_qa.domain.deadlines import answer_deadline
from dvc_qa.domain.questions import Status
from dvc_qa.domain.rules import Violation, check_question
from dvc_qa.domain.text import mask_personal_numbers, normalise
from dvc_qa.errors import rejected, vneid_required
from dvc_qa.models import Agency, Procedure, Question
from dvc_qa.repository import QaRepository
from dvc_qa.service.context import QaContext
from dvc_qa.service.search import search_text


@dataclass(frozen=True)
class NewQuestion:
    agency_id: str
    title: str
    body: str
    procedure_code: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class _Checked:
    """A question that passed the rules: its normalised text and where it goes."""

    title: str
    body: str
    agency: Agency
    procedure: Procedure | None


async def _check(repo: QaRepository, new: NewQuestion) -> _Checked:
    """Every rule at once (text, addressee, procedure), so the asker sees all that is wrong."""
    title, body = normalise(new.title), normalise(new.body)
    violations = check_question(title, body)
    agency = await repo.agency(new.agency_id) if new.agency_id.strip() else None
    if agency is None or not agency.active:
        violations.append(
            Violation(
                "unknown_agency",
                "agency_id",
                "Câu hỏi phải gửi đến một cơ quan, đơn vị, địa phương cụ thể có trong danh mục.",
            )
        )
    procedure = await repo.procedure(new.procedure_code) if new.procedure_code else None
    if new.procedure_code and procedure is None:
        violations.append(
            Violation("unknown_procedure", "procedure_code", "Không tìm thấy thủ tục hành chính đã chọn.")
        )
    if violations:
        raise rejected(violations)
    assert agency is not None
    return _Checked(title, body, agency, procedure)


async def ask(session: AsyncSession, ctx: QaContext, asker: Principal, new: NewQuestion) -> Question:
    if asker.kind not in ("citizen", "organisation"):
        raise vneid_required()
    repo = QaRepository(session)
    checked = await _check(repo, new)
    asked_at = ctx.now()
    deadline = answer_deadline(
        ctx.calendar, asked_at, needs_coordination=False, due_soon_working_hours=ctx.due_soon_working_hours
    )
    procedure = checked.procedure
    question = Question(
        id=uuid.uuid4(),
        asker_subject=asker.subject,
        asker_kind=asker.kind,
        agency_id=checked.agency.agency_id,
        procedure_code=procedure.code if procedure else None,
        field_name=procedure.field_name if procedure else None,
        title=mask_personal_numbers(checked.title)[0],
        body=mask_personal_numbers(checked.body)[0],
        status=Status.PENDING.value,
        asked_at=asked_at,
        due_at=deadline.due.instant,
        due_soon_at=deadline.due_soon_at,
        deadline=deadline.due.as_record(),
        search_text="",
    )
    question.search_text = search_text(question, checked.agency.name, procedure.name if procedure else None)
    repo.add(question)
    await repo.flush()
    await _announce(session, ctx, question, deadline.due.rule, asker, new)
    return question


async def _announce(
    session: AsyncSession, ctx: QaContext, question: Question, rule: str, asker: Principal, new: NewQuestion
) -> None:
    """question.asked for everyone; the asker's contact for notify only (also when none was given, so
    notify knows there is nobody to tell rather than waiting for it)."""
    subject = str(question.id)
    await ctx.outbox.add(
        session,
        QUESTION_ASKED,
        QuestionAsked(
            question_id=subject,
            agency_id=question.agency_id,
            procedure_code=question.procedure_code,
            field_name=question.field_name,
            asked_at=question.asked_at,
            due_at=question.due_at,
            deadline_rule=rule,
        ),
        subject=subject,
    )
    await ctx.outbox.add(
        session,
        QUESTION_CONTACT_REGISTERED,
        QuestionContactRegistered(
            question_id=subject, asker_name=asker.name or "", email=new.email or None, phone=new.phone or None
        ),
        subject=subject,
    )


async def asked_by(session: AsyncSession, asker: Principal) -> list[Question]:
    """The asker's own questions, newest first (the latest 200)."""
    return await QaRepository(session).asked_by(asker.subject, 200)
