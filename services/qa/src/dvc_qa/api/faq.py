"""FAQ routes: the public list, and the provincial operator's edits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from dvc_common.runtime import RuntimeDep
from dvc_qa.deps import Operator
from dvc_qa.schemas import FaqIn, FaqView, faq_view
from dvc_qa.service import faq as service

router = APIRouter(prefix="/api/v1", tags=["qa"])


@router.get("/faq", response_model=list[FaqView], summary="Câu hỏi thường gặp")
async def faqs(runtime: RuntimeDep, q: Annotated[str | None, Query(max_length=200)] = None) -> list[FaqView]:
    async with runtime.transaction() as session:
        rows = await service.faqs(session, q)
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
        await service.delete_faq(session, faq_id)
    return Response(status_code=204)
