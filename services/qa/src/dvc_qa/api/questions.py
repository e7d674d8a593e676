"""Question routes for citizens and the public: asking (VNeID), one's own questions, the public listing and search."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from dvc_common.http_auth import CurrentPrincipal
from dvc_common.runtime import RuntimeDep
from dvc_qa.deps import ContextDep
from dvc_qa.errors import bad_cursor
from dvc_qa.schemas import AskerQuestion, AskIn, Page, PublicQuestion, asker_view, public_view
from dvc_qa.service import asking
from dvc_qa.service import search as public_search

router = APIRouter(prefix="/api/v1", tags=["qa"])


@router.post("/questions", status_code=201, response_model=AskerQuestion, summary="Gửi câu hỏi")
async def ask(
    body: AskIn, principal: CurrentPrincipal, runtime: RuntimeDep, ctx: ContextDep
) -> AskerQuestion:
    new = asking.NewQuestion(
        agency_id=body.agency_id,
        title=body.title,
        body=body.body,
        procedure_code=body.procedure_code,
        email=str(body.email) if body.email else None,
        phone=body.phone,
    )
    async with runtime.transaction() as session:
        question = await asking.ask(session, ctx, principal, new)
    return asker_view(question)


@router.get("/my/questions", response_model=list[AskerQuestion], summary="Câu hỏi tôi đã gửi")
async def my_questions(principal: CurrentPrincipal, runtime: RuntimeDep) -> list[AskerQuestion]:
    async with runtime.transaction() as session:
        rows = await asking.asked_by(session, principal)
    return [asker_view(q) for q in rows]


def _cursor(key: tuple[datetime, UUID] | None) -> str | None:
    if key is None:
        return None
    answered_at, ident = key
    return base64.urlsafe_b64encode(f"{answered_at.isoformat()}|{ident}".encode()).decode()


def _after(cursor: str | None) -> tuple[datetime, UUID] | None:
    if not cursor:
        return None
    try:
        at, _, ident = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(at), UUID(ident)
    except ValueError as exc:
        raise bad_cursor() from exc


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
    after = _after(cursor)
    async with runtime.transaction() as session:
        page = await public_search.search(
            session,
            q,
            agency_id=agency_id,
            field_name=field_name,
            procedure_code=procedure_code,
            after=after,
            limit=limit,
        )
    response.headers["Cache-Control"] = "public, max-age=30"
    return Page(items=[public_view(r) for r in page.rows], next_cursor=_cursor(page.next_key))


@router.get("/questions/{question_id}", response_model=PublicQuestion, summary="Một câu hỏi đã được trả lời")
async def public_question(question_id: UUID, runtime: RuntimeDep) -> PublicQuestion:
    async with runtime.transaction() as session:
        question = await public_search.answered_question(session, question_id)
    return public_view(question)
