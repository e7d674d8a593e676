"""Officer routes: the agency's inbox and its work on a question (answer, forward, draft, publish,
decline, coordination, contributions)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from dvc_common.runtime import RuntimeDep
from dvc_qa.deps import ContextDep, Officer
from dvc_qa.domain.questions import Status
from dvc_qa.schemas import (
    ContributionView,
    CoordinateIn,
    DeclineIn,
    ForwardIn,
    OfficerQuestion,
    PublishIn,
    TextIn,
    contribution_view,
    officer_view,
)
from dvc_qa.service import agency_work, answers

router = APIRouter(prefix="/api/v1", tags=["qa"])


@router.get("/officer/questions", response_model=list[OfficerQuestion], summary="Câu hỏi gửi đến cơ quan")
async def inbox(
    officer: Officer,
    runtime: RuntimeDep,
    status: Annotated[list[Status] | None, Query()] = None,
    overdue: Annotated[bool, Query(description="Chỉ câu hỏi đã quá hạn trả lời")] = False,
    all_agencies: Annotated[bool, Query(description="Mọi cơ quan (Văn phòng UBND tỉnh, thanh tra)")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[OfficerQuestion]:
    async with runtime.transaction() as session:
        rows = await agency_work.inbox(
            session, officer, status, overdue=overdue, all_agencies=all_agencies, limit=limit
        )
    return [officer_view(q) for q in rows]


@router.get(
    "/officer/questions/{question_id}", response_model=OfficerQuestion, summary="Chi tiết câu hỏi (nội bộ)"
)
async def officer_question(question_id: UUID, officer: Officer, runtime: RuntimeDep) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question, contributions = await agency_work.question_for_officer(session, officer, question_id)
    return officer_view(question, contributions)


@router.post("/officer/questions/{question_id}/answer", response_model=OfficerQuestion, summary="Trả lời")
async def answer(
    question_id: UUID, body: TextIn, officer: Officer, runtime: RuntimeDep, ctx: ContextDep
) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await answers.answer(session, ctx, officer, question_id, body.text, body.expected_version)
    return officer_view(question)


@router.post(
    "/officer/questions/{question_id}/forward", response_model=OfficerQuestion, summary="Chuyển phòng"
)
async def forward(
    question_id: UUID, body: ForwardIn, officer: Officer, runtime: RuntimeDep
) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await agency_work.forward(
            session, officer, question_id, body.department, body.expected_version
        )
    return officer_view(question)


@router.post(
    "/officer/questions/{question_id}/draft", response_model=OfficerQuestion, summary="Dự thảo trả lời"
)
async def draft(question_id: UUID, body: TextIn, officer: Officer, runtime: RuntimeDep) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await agency_work.draft(session, officer, question_id, body.text, body.expected_version)
    return officer_view(question)


@router.post("/officer/questions/{question_id}/publish", response_model=OfficerQuestion, summary="Đăng tải")
async def publish(
    question_id: UUID, body: PublishIn, officer: Officer, runtime: RuntimeDep, ctx: ContextDep
) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await answers.publish(session, ctx, officer, question_id, body.text, body.expected_version)
    return officer_view(question)


@router.post("/officer/questions/{question_id}/decline", response_model=OfficerQuestion, summary="Từ chối")
async def decline(
    question_id: UUID, body: DeclineIn, officer: Officer, runtime: RuntimeDep, ctx: ContextDep
) -> OfficerQuestion:
    async with runtime.transaction() as session:
        question = await answers.decline(
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
        question = await agency_work.coordinate(
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
        c = await agency_work.contribute(session, officer, question_id, body.text)
    return contribution_view(c)
