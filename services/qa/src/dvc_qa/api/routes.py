"""HTTP routes (thin): asking, the public listing and search, the agency's work, the FAQ."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, EmailStr, Field

from dvc_common.auth import CurrentPrincipal, Principal, Role, require_roles
from dvc_common.problems import Problem
from dvc_common.runtime import RuntimeDep
from dvc_qa import service
from dvc_qa.domain.questions import REFERENCE_NOTICE, STATUS_NAMES, Status
from dvc_qa.domain.text import fold
from dvc_qa.models import Contribution, Faq, Question
from dvc_qa.repository import PublicRow, QaRepository, SearchFilter

router = APIRouter(prefix="/api/v1", tags=["qa"])

Officer = Annotated[Principal, Depends(require_roles(*Role))]
Operator = Annotated[Principal, Depends(require_roles(Role.PROVINCIAL_OPERATOR))]


def context_of(request: Request) -> service.QaContext:
    ctx: service.QaContext = request.app.state.qa
    return ctx


ContextDep = Annotated[service.QaContext, Depends(context_of)]


# ---------------------------------------------------------------- views


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
        contributions=[
            ContributionView(
                agency_id=c.agency_id,
                author_name=c.author_name,
                author_position=c.author_position,
                text=c.text,
                created_at=c.created_at,
            )
            for c in contributions or []
        ],
    )


# ---------------------------------------------------------------- asking (VNeID)


class AskIn(BaseModel):
    agency_id: str = Field(description="Mã định danh cơ quan nhận câu hỏi, ví dụ 000.00.14.H56")
    title: str = Field(max_length=1000)
    body: str = Field(max_length=20000)
    procedure_code: str | None = Field(default=None, description="Mã thủ tục hành chính (nếu có)")
    email: EmailStr | None = Field(
        default=None, description="Để nhận thông báo khi có trả lời (không công khai)"
    )
    phone: str | None = Field(default=None, pattern=r"^(\+?84|0)\d{9}$")


@router.post("/questions", status_code=201, response_model=AskerQuestion, summary="Gửi câu hỏi")
async def ask(
    body: AskIn, principal: CurrentPrincipal, runtime: RuntimeDep, ctx: ContextDep
) -> AskerQuestion:
    new = service.NewQuestion(
        agency_id=body.agency_id,
        title=body.title,
        body=body.body,
        procedure_code=body.procedure_code,
        email=str(body.email) if body.email else None,
        phone=body.phone,
    )
    async with runtime.transaction() as session:
        question = await service.ask(session, ctx, principal, new)
    return asker_view(question)


@router.get("/my/questions", response_model=list[AskerQuestion], summary="Câu hỏi tôi đã gửi")
async def my_questions(principal: CurrentPrincipal, runtime: RuntimeDep) -> list[AskerQuestion]:
    async with runtime.transaction() as session:
        rows = await QaRepository(session).asked_by(principal.subject, 200)
    return [asker_view(q) for q in rows]


# ---------------------------------------------------------------- public listing and search


class Page(BaseModel):
    items: list[PublicQuestion]
    next_cursor: str | None
    notice: str = REFERENCE_NOTICE


def _cursor(q: PublicRow) -> str:
    assert q.answered_at is not None
    return base64.urlsafe_b64encode(f"{q.answered_at.isoformat()}|{q.id}".encode()).decode()


def _after(cursor: str | None) -> tuple[datetime, UUID] | None:
    if not cursor:
        return None
    try:
        at, _, ident = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(at), UUID(ident)
    except ValueError as exc:
        raise Problem(
            400, "bad-cursor", "Con trỏ trang không hợp lệ", "Hãy dùng next_cursor của trang trước."
        ) from exc


@router.get("/questions", response_model=Page, summary="Tra cứu câu hỏi đã được trả lời")
async def search(
    runtime: RuntimeDep,
    response: Response,
    q: Annotated[str | None, Query(max_length=200, description="Từ khóa, có dấu hoặc không dấu")] = None,
    agency_id: str | None = None,
    field_name: str | None = Query(default=None, alias="field"),
    procedure_code: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page:
    words = tuple(fold(q or "").split())[:12]
    where = SearchFilter(words, agency_id, field_name, procedure_code)
    async with runtime.transaction() as session:
        rows = await QaRepository(session).search(where, limit=limit + 1, after=_after(cursor))
    more = len(rows) > limit
    rows = rows[:limit]
    response.headers["Cache-Control"] = "public, max-age=30"
    return Page(
        items=[public_view(r) for r in rows], next_cursor=_cursor(rows[-1]) if more and rows else None
    )


@router.get("/questions/{question_id}", response_model=PublicQuestion, summary="Một câu hỏi đã được trả lời")
async def public_question(question_id: UUID, runtime: RuntimeDep) -> PublicQuestion:
    async with runtime.transaction() as session:
        question = await QaRepository(session).question(question_id)
    if question is None or question.status != Status.ANSWERED:
        raise Problem(
            404, "question-not-found", "Không tìm thấy câu hỏi", "Câu hỏi không có hoặc chưa được trả lời."
        )
    return public_view(question)


class AgencyView(BaseModel):
    agency_id: str
    name: str
    level: str
    parent_id: str | None


@router.get("/agencies", response_model=list[AgencyView], summary="Cơ quan nhận câu hỏi")
async def agencies(runtime: RuntimeDep) -> list[AgencyView]:
    async with runtime.transaction() as session:
        rows = await QaRepository(session).agencies()
    return [
        AgencyView(agency_id=a.agency_id, name=a.name, level=a.level, parent_id=a.parent_id) for a in rows
    ]


# ---------------------------------------------------------------- the agency's work


@router.get("/officer/questions", response_model=list[OfficerQuestion], summary="Câu hỏi gửi đến cơ quan")
async def inbox(
    officer: Officer,
    runtime: RuntimeDep,
    status: Annotated[list[Status] | None, Query()] = None,
    overdue: Annotated[bool, Query(description="Chỉ câu hỏi đã quá hạn trả lời")] = False,
    all_agencies: Annotated[bool, Query(description="Mọi cơ quan (Văn phòng UBND tỉnh, thanh tra)")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[OfficerQuestion]:
    statuses = tuple(s.value for s in (status or [Status.PENDING, Status.FORWARDED, Status.DRAFTED]))
    if all_agencies and not officer.has_any_role(Role.PROVINCIAL_OPERATOR, Role.AUDITOR):
        raise Problem(
            403,
            "forbidden",
            "Không có quyền",
            "Chỉ Văn phòng UBND tỉnh và kiểm tra, thanh tra xem được câu hỏi của mọi cơ quan.",
        )
    agency = None if all_agencies else officer.agency_id or ""
    async with runtime.transaction() as session:
        rows = await QaRepository(session).inbox(
            agency, statuses, limit, overdue_at=service.now_utc() if overdue else None
        )
    return [officer_view(q) for q in rows]


@router.get(
    "/officer/questions/{question_id}", response_model=OfficerQuestion, summary="Chi tiết câu hỏi (nội bộ)"
)
async def officer_question(question_id: UUID, officer: Officer, runtime: RuntimeDep) -> OfficerQuestion:
    async with runtime.transaction() as session:
        repo = QaRepository(session)
        question = await repo.question(question_id)
        if question is None or (
            officer.agency_id != question.agency_id
            and officer.agency_id not in question.coordinating_agencies
        ):
            raise Problem(
                404, "question-not-found", "Không tìm thấy câu hỏi", f"Không có câu hỏi {question_id}."
            )
        contributions = await repo.contributions(question_id)
    return officer_view(question, contributions)


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


@router.post("/officer/questions/{question_id}/answer", response_model=OfficerQuestion, summary="Trả lời")
async def answer(
    question_id: UUID, body: TextIn, officer: Officer, runtime: RuntimeDep, ctx: ContextDep
) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await service.answer(session, ctx, officer, question_id, body.text, body.expected_version)
    return officer_view(question)


@router.post(
    "/officer/questions/{question_id}/forward", response_model=OfficerQuestion, summary="Chuyển phòng"
)
async def forward(
    question_id: UUID, body: ForwardIn, officer: Officer, runtime: RuntimeDep
) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await service.forward(
            session, officer, question_id, body.department, body.expected_version
        )
    return officer_view(question)


@router.post(
    "/officer/questions/{question_id}/draft", response_model=OfficerQuestion, summary="Dự thảo trả lời"
)
async def draft(question_id: UUID, body: TextIn, officer: Officer, runtime: RuntimeDep) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await service.draft(session, officer, question_id, body.text, body.expected_version)
    return officer_view(question)


@router.post("/officer/questions/{question_id}/publish", response_model=OfficerQuestion, summary="Đăng tải")
async def publish(
    question_id: UUID, body: PublishIn, officer: Officer, runtime: RuntimeDep, ctx: ContextDep
) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await service.publish(session, ctx, officer, question_id, body.text, body.expected_version)
    return officer_view(question)


@router.post("/officer/questions/{question_id}/decline", response_model=OfficerQuestion, summary="Từ chối")
async def decline(
    question_id: UUID, body: DeclineIn, officer: Officer, runtime: RuntimeDep, ctx: ContextDep
) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await service.decline(
            session, ctx, officer, question_id, body.reason, body.expected_version
        )
    return officer_view(question)


@router.post(
    "/officer/questions/{question_id}/coordination", response_model=OfficerQuestion, summary="Cần phối hợp"
)
async def coordinate(
    question_id: UUID, body: CoordinateIn, officer: Officer, runtime: RuntimeDep, ctx: ContextDep
) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await service.coordinate(
            session, ctx, officer, question_id, body.agency_ids, body.expected_version
        )
    return officer_view(question)


@router.post(
    "/officer/questions/{question_id}/contributions",
    status_code=201,
    response_model=ContributionView,
    summary="Ý kiến cơ quan phối hợp",
)
async def contribute(
    question_id: UUID, body: TextIn, officer: Officer, runtime: RuntimeDep
) -> ContributionView:
    async with runtime.transaction() as session:
        c = await service.contribute(session, officer, question_id, body.text)
    return ContributionView(
        agency_id=c.agency_id,
        author_name=c.author_name,
        author_position=c.author_position,
        text=c.text,
        created_at=c.created_at,
    )


# ---------------------------------------------------------------- FAQ


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


@router.get("/faq", response_model=list[FaqView], summary="Câu hỏi thường gặp")
async def faqs(runtime: RuntimeDep, q: Annotated[str | None, Query(max_length=200)] = None) -> list[FaqView]:
    async with runtime.transaction() as session:
        rows = await QaRepository(session).faqs(tuple(fold(q or "").split())[:12], 200)
    return [faq_view(f) for f in rows]


def _faq_input(body: FaqIn) -> service.FaqInput:
    return service.FaqInput(body.question, body.answer, body.field_name, body.agency_id, body.position)


@router.post("/faq", status_code=201, response_model=FaqView, summary="Thêm câu hỏi thường gặp")
async def add_faq(body: FaqIn, operator: Operator, runtime: RuntimeDep) -> FaqView:
    async with runtime.transaction() as session:
        faq = await service.save_faq(session, _faq_input(body))
    return faq_view(faq)


@router.put("/faq/{faq_id}", response_model=FaqView, summary="Sửa câu hỏi thường gặp")
async def edit_faq(faq_id: int, body: FaqIn, operator: Operator, runtime: RuntimeDep) -> FaqView:
    async with runtime.transaction() as session:
        faq = await service.save_faq(session, _faq_input(body), faq_id)
    return faq_view(faq)


@router.delete("/faq/{faq_id}", status_code=204, summary="Xóa câu hỏi thường gặp")
async def delete_faq(faq_id: int, operator: Operator, runtime: RuntimeDep) -> Response:
    async with runtime.transaction() as session:
        repo = QaRepository(session)
        faq = await repo.faq(faq_id)
        if faq is None:
            raise Problem(
                404, "faq-not-found", "Không tìm thấy câu hỏi thường gặp", f"Không có mục {faq_id}."
            )
        await repo.delete_faq(faq)
    return Response(status_code=204)
