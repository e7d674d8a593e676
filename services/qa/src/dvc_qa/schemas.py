"""Q&A's request and response models (never its table models), and how rows become responses."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, EmailStr, Field

from dvc_qa.domain.questions import REFERENCE_NOTICE, STATUS_NAMES, Status
from dvc_qa.models import Agency, Contribution, Faq, Question
from dvc_qa.repository import PublicRow


class AnswerView(BaseModel):
    text: str
    agency_name: str = Field(description="Tên cơ quan trả lời")
    answerer_name: str = Field(description="Họ và tên người trả lời")
    answerer_position: str = Field(description="Chức vụ người trả lời")
    answered_at: datetime
    notice: str = REFERENCE_NOTICE


class PublicQuestion(BaseModel):
    id: UUID
    title: str
    body: str
    agency_id: str
    field_name: str | None
    procedure_code: str | None
    asked_at: datetime
    answer: AnswerView


class AskerQuestion(BaseModel):
    id: UUID
    title: str
    body: str
    agency_id: str
    procedure_code: str | None
    status: str
    status_name: str
    asked_at: datetime
    due_at: datetime
    deadline_explanation: str
    decline_reason: str | None
    answer: AnswerView | None


class ContributionView(BaseModel):
    agency_id: str
    author_name: str
    author_position: str
    text: str
    created_at: datetime


class OfficerQuestion(AskerQuestion):
    version: int
    needs_coordination: bool
    coordinating_agencies: list[str]
    department: str | None
    draft: str | None
    drafted_by_name: str | None
    drafted_by_position: str | None
    contributions: list[ContributionView] = []


def answer_view(q: Question | PublicRow) -> AnswerView | None:
    if q.status != Status.ANSWERED or q.answered_at is None:
        return None
    return AnswerView(
        text=q.answer or "",
        agency_name=q.answer_agency_name or "",
        answerer_name=q.answerer_name or "",
        answerer_position=q.answerer_position or "",
        answered_at=q.answered_at,
    )


def public_view(q: Question | PublicRow) -> PublicQuestion:
    answer = answer_view(q)
    assert answer is not None
    return PublicQuestion(
        id=q.id,
        title=q.title,
        body=q.body,
        agency_id=q.agency_id,
        field_name=q.field_name,
        procedure_code=q.procedure_code,
        asked_at=q.asked_at,
        answer=answer,
    )


def _asker_fields(q: Question) -> dict[str, Any]:
    return dict(
        id=q.id,
        title=q.title,
        body=q.body,
        agency_id=q.agency_id,
        procedure_code=q.procedure_code,
        status=q.status,
        status_name=STATUS_NAMES[Status(q.status)],
        asked_at=q.asked_at,
        due_at=q.due_at,
        deadline_explanation=str(q.deadline.get("explanation", "")),
        decline_reason=q.decline_reason,
        answer=answer_view(q),
    )


def asker_view(q: Question) -> AskerQuestion:
    return AskerQuestion(**_asker_fields(q))


def contribution_view(c: Contribution) -> ContributionView:
    return ContributionView(
        agency_id=c.agency_id,
        author_name=c.author_name,
        author_position=c.author_position,
        text=c.text,
        created_at=c.created_at,
    )


def officer_view(q: Question, contributions: list[Contribution] | None = None) -> OfficerQuestion:
    return OfficerQuestion(
        **_asker_fields(q),
        version=q.version,
        needs_coordination=q.needs_coordination,
        coordinating_agencies=q.coordinating_agencies,
        department=q.department,
        draft=q.draft,
        drafted_by_name=q.drafted_by_name,
        drafted_by_position=q.drafted_by_position,
        contributions=[contribution_view(c) for c in contributions or []],
    )


class AskIn(BaseModel):
    agency_id: str = Field(description="Mã định danh cơ quan nhận câu hỏi, ví dụ 000.00.14.H56")
    title: str = Field(max_length=1000)
    body: str = Field(max_length=20000)
    procedure_code: str | None = Field(default=None, description="Mã thủ tục hành chính (nếu có)")
    email: EmailStr | None = Field(
        default=None, description="Để nhận thông báo khi có trả lời (không công khai)"
    )
    phone: str | None = Field(default=None, pattern=r"^(\+?84|0)\d{9}$")


class Page(BaseModel):
    items: list[PublicQuestion]
    next_cursor: str | None
    notice: str = REFERENCE_NOTICE


class AgencyView(BaseModel):
    agency_id: str
    name: str
    level: str
    parent_id: str | None


def agency_view(a: Agency) -> AgencyView:
    return AgencyView(agency_id=a.agency_id, name=a.name, level=a.level, parent_id=a.parent_id)


class Versioned(BaseModel):
    expected_version: int | None = Field(default=None, description="409 nếu câu hỏi đã thay đổi")


class TextIn(Versioned):
    text: str = Field(max_length=20000)


class ForwardIn(Versioned):
    department: str = Field(max_length=300, description="Phòng, bộ phận chuyên môn")


class PublishIn(Versioned):
    text: str | None = Field(default=None, max_length=20000, description="Nội dung đã chỉnh sửa (nếu có)")


class DeclineIn(Versioned):
    reason: str = Field(max_length=5000)


class CoordinateIn(Versioned):
    agency_ids: list[str] = Field(min_length=1, max_length=50)


class FaqIn(BaseModel):
    question: str = Field(max_length=2000)
    answer: str = Field(max_length=20000)
    field_name: str | None = None
    agency_id: str | None = None
    position: int = 0


class FaqView(FaqIn):
    id: int
    updated_at: datetime
    notice: str = REFERENCE_NOTICE


def faq_view(f: Faq) -> FaqView:
    assert f.id is not None
    return FaqView(
        id=f.id,
        question=f.question,
        answer=f.answer,
        field_name=f.field_name,
        agency_id=f.agency_id,
        position=f.position,
        updated_at=f.updated_at,
    )
