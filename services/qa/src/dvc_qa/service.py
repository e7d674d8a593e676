"""Q&A use-cases. They never commit: the request or message boundary does (`runtime.transaction()`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.auth import Principal, Role
from dvc_common.events import (
    AGENCY_UPSERTED,
    PROCEDURE_PUBLISHED,
    QUESTION_ANSWERED,
    QUESTION_ASKED,
    QUESTION_CONTACT_REGISTERED,
    QUESTION_DECLINED,
    QUESTION_DUE_SOON,
    QUESTION_OVERDUE,
    CloudEvent,
    QuestionAnswered,
    QuestionAsked,
    QuestionContactRegistered,
    QuestionDeadline,
    QuestionDeclined,
)
from dvc_common.outbox import Outbox
from dvc_common.problems import Problem
from dvc_common.worktime import Calendar
from dvc_qa.domain.deadlines import answer_deadline
from dvc_qa.domain.questions import Action, Actor, Refusal, Status, next_status, refusal
from dvc_qa.domain.rules import DECLINE_REASON_MIN_CHARS, Violation, check_question, language_violations
from dvc_qa.domain.text import fold, mask_personal_numbers, normalise
from dvc_qa.models import Agency, Contribution, Faq, Procedure, Question
from dvc_qa.repository import QaRepository


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class QaContext:
    """What the use-cases need besides the session: the outbox, the working-time calendar, the clock."""

    outbox: Outbox
    calendar: Calendar
    due_soon_working_hours: int = 4
    now: Callable[[], datetime] = now_utc


# ---------------------------------------------------------------- local copies (consumers)


async def record_agency(session: AsyncSession, event: CloudEvent) -> None:
    data = AGENCY_UPSERTED.parse(event.data)
    await QaRepository(session).upsert_agency(
        Agency(
            agency_id=data.agency_id,
            name=data.name,
            level=data.level,
            parent_id=data.parent_id,
            active=data.active,
            updated_at=data.updated_at,
        )
    )


async def record_procedure(session: AsyncSession, event: CloudEvent) -> None:
    data = PROCEDURE_PUBLISHED.parse(event.data)
    await QaRepository(session).upsert_procedure(
        Procedure(code=data.code, name=data.name, field_name=data.field_name, agency_id=data.agency_id)
    )


# ---------------------------------------------------------------- asking


@dataclass(frozen=True)
class NewQuestion:
    agency_id: str
    title: str
    body: str
    procedure_code: str | None = None
    email: str | None = None
    phone: str | None = None


def rejected(violations: list[Violation]) -> Problem:
    return Problem(
        422,
        "question-rejected",
        "Câu hỏi chưa đáp ứng quy định",
        " ".join(v.reason for v in violations),
        violations=[{"code": v.code, "field": v.field, "reason": v.reason} for v in violations],
    )


async def ask(session: AsyncSession, ctx: QaContext, asker: Principal, new: NewQuestion) -> Question:
    if asker.kind not in ("citizen", "organisation"):
        raise Problem(
            403,
            "vneid-required",
            "Cần đăng nhập bằng tài khoản VNeID",
            "Câu hỏi phải được gửi bằng tài khoản định danh điện tử VNeID của tổ chức, cá nhân (Điều 24 khoản 2).",
        )
    title, body = normalise(new.title), normalise(new.body)
    violations = check_question(title, body)
    repo = QaRepository(session)
    agency = await repo.agency(new.agency_id) if new.agency_id.strip() else None
    if agency is None or not agency.active:
        violations.append(
            Violation(
                "unknown_agency",
                "agency_id",
                "Câu hỏi phải gửi đến một cơ quan, đơn vị, địa phương cụ thể có trong danh mục.",
            )
        )
    procedure = None
    if new.procedure_code:
        procedure = await repo.procedure(new.procedure_code)
        if procedure is None:
            violations.append(
                Violation("unknown_procedure", "procedure_code", "Không tìm thấy thủ tục hành chính đã chọn.")
            )
    if violations:
        raise rejected(violations)
    assert agency is not None
    title, _ = mask_personal_numbers(title)
    body, _ = mask_personal_numbers(body)
    asked_at = ctx.now()
    deadline = answer_deadline(
        ctx.calendar, asked_at, needs_coordination=False, due_soon_working_hours=ctx.due_soon_working_hours
    )
    question = Question(
        id=uuid.uuid4(),
        asker_subject=asker.subject,
        asker_kind=asker.kind,
        agency_id=agency.agency_id,
        procedure_code=procedure.code if procedure else None,
        field_name=procedure.field_name if procedure else None,
        title=title,
        body=body,
        status=Status.PENDING.value,
        asked_at=asked_at,
        due_at=deadline.due.instant,
        due_soon_at=deadline.due_soon_at,
        deadline=deadline.due.as_record(),
        search_text="",
    )
    question.search_text = search_text(question, agency.name, procedure.name if procedure else None)
    repo.add(question)
    await repo.flush()
    subject = str(question.id)
    await ctx.outbox.add(
        session,
        QUESTION_ASKED,
        QuestionAsked(
            question_id=subject,
            agency_id=question.agency_id,
            procedure_code=question.procedure_code,
            field_name=question.field_name,
            asked_at=asked_at,
            due_at=question.due_at,
            deadline_rule=deadline.due.rule,
        ),
        subject=subject,
    )
    if new.email or new.phone:
        await ctx.outbox.add(
            session,
            QUESTION_CONTACT_REGISTERED,
            QuestionContactRegistered(
                question_id=subject, asker_name=asker.name or "", email=new.email, phone=new.phone
            ),
            subject=subject,
        )
    return question


def search_text(question: Question, agency_name: str, procedure_name: str | None) -> str:
    parts = [question.title, question.body, question.answer or "", agency_name]
    parts += [question.field_name or "", procedure_name or "", question.procedure_code or ""]
    return fold(" ".join(parts))


# ---------------------------------------------------------------- the agency's work


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.agency_id, principal.has_any_role(Role.QA_FOCAL_OFFICER))


REFUSALS = {
    Refusal.OTHER_AGENCY: (
        403,
        "other-agency",
        "Câu hỏi không gửi đến cơ quan của bạn",
        "Chỉ cơ quan nhận câu hỏi mới được xử lý, trả lời câu hỏi này.",
    ),
    Refusal.NOT_FOCAL_OFFICER: (
        403,
        "focal-officer-required",
        "Cần công chức đầu mối",
        "Chỉ công chức đầu mối hỏi - đáp của cơ quan được trả lời, chuyển, đăng tải hoặc từ chối câu hỏi.",
    ),
    Refusal.NOT_COORDINATING: (
        403,
        "not-coordinating",
        "Cơ quan không được mời phối hợp",
        "Chỉ các cơ quan được mời phối hợp mới góp ý cho câu hỏi này.",
    ),
    Refusal.WRONG_STATE: (
        409,
        "wrong-question-state",
        "Trạng thái câu hỏi không cho phép thao tác này",
        "Câu hỏi đã ở trạng thái khác; vui lòng tải lại.",
    ),
}


async def _take(
    session: AsyncSession, question_id: UUID, officer: Principal, action: Action, expected_version: int | None
) -> Question:
    """The question locked for this change, after checking who may do what in which state."""
    question = await QaRepository(session).question(question_id, lock=True)
    if question is None:
        raise Problem(404, "question-not-found", "Không tìm thấy câu hỏi", f"Không có câu hỏi {question_id}.")
    why = refusal(
        action,
        Status(question.status),
        actor_of(officer),
        question_agency=question.agency_id,
        coordinating=frozenset(question.coordinating_agencies),
    )
    if why is not None:
        status, slug, title, detail = REFUSALS[why]
        raise Problem(status, slug, title, detail, current_status=question.status)
    if expected_version is not None and expected_version != question.version:
        raise Problem(
            409,
            "version-mismatch",
            "Câu hỏi vừa được cập nhật",
            "Câu hỏi đã được người khác cập nhật; vui lòng tải lại.",
            current_version=question.version,
        )
    if action is not Action.CONTRIBUTE:  # a contribution does not change the question itself
        question.status = next_status(action, Status(question.status)).value
        question.version += 1
    return question


def _officer_text(text: str, field: str, *, min_chars: int = 1) -> str:
    value = normalise(text)
    if len(value) < min_chars:
        raise Problem(
            422,
            "text-required",
            "Thiếu nội dung",
            f"Vui lòng nhập nội dung (ít nhất {min_chars} ký tự).",
            field=field,
        )
    violations = language_violations(value, field)
    if violations:
        raise rejected(violations)
    return value


def _officer_identity(officer: Principal) -> tuple[str, str]:
    if not officer.name or not officer.position:
        raise Problem(
            422,
            "answerer-unknown",
            "Thiếu họ tên hoặc chức vụ người trả lời",
            "Câu trả lời phải ghi họ và tên, chức vụ của người trả lời; tài khoản chưa có thông tin này.",
        )
    return officer.name, officer.position


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
    question = await _take(session, question_id, officer, Action.ANSWER, expected_version)
    name, position = _officer_identity(officer)
    return await _publish(session, ctx, question, _officer_text(text, "answer"), name, position, officer)


async def forward(
    session: AsyncSession,
    officer: Principal,
    question_id: UUID,
    department: str,
    expected_version: int | None = None,
) -> Question:
    question = await _take(session, question_id, officer, Action.FORWARD, expected_version)
    question.department = _officer_text(department, "department")
    question.forwarded_at = now_utc()
    return question


async def draft(
    session: AsyncSession,
    officer: Principal,
    question_id: UUID,
    text: str,
    expected_version: int | None = None,
) -> Question:
    """A department officer of the agency drafts the answer; it stays internal until published."""
    question = await _take(session, question_id, officer, Action.DRAFT, expected_version)
    question.draft = _officer_text(text, "answer")
    question.drafted_by_name, question.drafted_by_position = _officer_identity(officer)
    return question


async def publish(
    session: AsyncSession,
    ctx: QaContext,
    officer: Principal,
    question_id: UUID,
    edited: str | None = None,
    expected_version: int | None = None,
) -> Question:
    """The focal officer publishes the department's draft (edited or not); the drafter is the answerer."""
    question = await _take(session, question_id, officer, Action.PUBLISH, expected_version)
    text = _officer_text(edited, "answer") if edited else question.draft or ""
    name = question.drafted_by_name or ""
    position = question.drafted_by_position or ""
    if edited:
        name, position = _officer_identity(officer)
    return await _publish(session, ctx, question, text, name, position, officer)


async def decline(
    session: AsyncSession,
    ctx: QaContext,
    officer: Principal,
    question_id: UUID,
    reason: str,
    expected_version: int | None = None,
) -> Question:
    question = await _take(session, question_id, officer, Action.DECLINE, expected_version)
    # The reason goes to the asker and onto the public exchange: no personal numbers in it.
    question.decline_reason, _ = mask_personal_numbers(
        _officer_text(reason, "reason", min_chars=DECLINE_REASON_MIN_CHARS)
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


async def coordinate(
    session: AsyncSession,
    ctx: QaContext,
    officer: Principal,
    question_id: UUID,
    agency_ids: list[str],
    expected_version: int | None = None,
) -> Question:
    """Mark the question as needing other agencies: they may contribute, the deadline becomes 5 working days."""
    question = await _take(session, question_id, officer, Action.COORDINATE, expected_version)
    repo = QaRepository(session)
    others = sorted({a for a in agency_ids if a != question.agency_id})
    unknown = [a for a in others if (agency := await repo.agency(a)) is None or not agency.active]
    if not others or unknown:
        raise Problem(
            422,
            "unknown-agency",
            "Cơ quan phối hợp không hợp lệ",
            "Vui lòng chọn ít nhất một cơ quan phối hợp khác có trong danh mục.",
            unknown=unknown,
        )
    deadline = answer_deadline(
        ctx.calendar,
        question.asked_at,
        needs_coordination=True,
        due_soon_working_hours=ctx.due_soon_working_hours,
    )
    question.needs_coordination = True
    question.coordinating_agencies = others
    question.due_at, question.due_soon_at = deadline.due.instant, deadline.due_soon_at
    question.deadline = deadline.due.as_record()
    question.due_soon_sent = question.overdue_sent = False
    return question


async def contribute(session: AsyncSession, officer: Principal, question_id: UUID, text: str) -> Contribution:
    question = await _take(session, question_id, officer, Action.CONTRIBUTE, None)
    name, position = _officer_identity(officer)
    contribution = Contribution(
        question_id=question.id,
        agency_id=officer.agency_id or "",
        author_name=name,
        author_position=position,
        text=_officer_text(text, "text"),
        created_at=now_utc(),
    )
    repo = QaRepository(session)
    repo.add(contribution)
    await repo.flush()
    return contribution


# ---------------------------------------------------------------- deadlines (scheduler)


async def announce_deadlines(session: AsyncSession, ctx: QaContext, *, now: datetime, limit: int) -> int:
    """Emit due_soon and overdue once per question (the flags change in the same transaction)."""
    repo = QaRepository(session)
    sent = 0
    for overdue in (False, True):
        for question in await repo.deadline_due(now, overdue=overdue, limit=limit):
            payload = QuestionDeadline(
                question_id=str(question.id),
                agency_id=question.agency_id,
                status=question.status,
                due_at=question.due_at,
            )
            if overdue:
                question.overdue_sent = True
                question.due_soon_sent = True  # past due: "soon" no longer says anything
            else:
                question.due_soon_sent = True
            await repo.flush()
            await ctx.outbox.add(
                session, QUESTION_OVERDUE if overdue else QUESTION_DUE_SOON, payload, subject=str(question.id)
            )
            sent += 1
    return sent


# ---------------------------------------------------------------- FAQ


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
        raise Problem(404, "faq-not-found", "Không tìm thấy câu hỏi thường gặp", f"Không có mục {faq_id}.")
    faq.question, faq.answer = question, answer_text
    faq.field_name, faq.agency_id, faq.position = data.field_name, data.agency_id, data.position
    faq.search_text = fold(f"{question} {answer_text} {data.field_name or ''}")
    faq.updated_at = now_utc()
    repo.add(faq)
    await repo.flush()
    return faq
