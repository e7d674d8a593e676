"""HTTP routes of the forms workflow prints from its own data: the control slip of a dossier (Mẫu 06)
and the dossier register of an agency over a period (Mẫu 07, PDF or XLSX)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from dvc_common.http_auth import CurrentPrincipal
from dvc_workflow.deps import Ctx, Forms, Now, Runtime
from dvc_workflow.forms import render_register_pdf, render_register_xlsx
from dvc_workflow.service.control_slip import control_slip_pdf
from dvc_workflow.service.register import dossier_register

router = APIRouter(prefix="/api/v1", tags=["biểu mẫu"])
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
From = Annotated[date, Query(alias="from", description="Ngày đầu của kỳ (YYYY-MM-DD)")]
To = Annotated[date, Query(alias="to", description="Ngày cuối của kỳ (YYYY-MM-DD), tính cả ngày này")]


def _file(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


@router.get(
    "/dossiers/{code}/control-slip.pdf",
    summary="Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu số 06), PDF",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}, 404: {"description": "Không có hồ sơ hoặc không có quyền xem"}},
)
async def control_slip(
    code: str, runtime: Runtime, ctx: Ctx, forms: Forms, now: Now, actor: CurrentPrincipal
) -> Response:
    async with runtime.transaction() as session:
        pdf = await control_slip_pdf(session, ctx, forms, code, actor, now)
    return _file(pdf, PDF, f"mau-06-{code}.pdf")


@router.get(
    "/agencies/{agency_id}/register.pdf",
    summary="Sổ theo dõi hồ sơ (Mẫu số 07) của cơ quan trong kỳ, PDF",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}, 403: {"description": "Không phải cán bộ của cơ quan"}},
)
async def register_pdf(
    agency_id: str,
    first: From,
    last: To,
    runtime: Runtime,
    ctx: Ctx,
    forms: Forms,
    now: Now,
    actor: CurrentPrincipal,
) -> Response:
    async with runtime.transaction() as session:
        register = await dossier_register(session, ctx, forms, agency_id, first, last, actor, now)
    pdf = await asyncio.to_thread(render_register_pdf, register, font_dir=forms.font_dir)
    return _file(pdf, PDF, f"mau-07-{agency_id}-{first}-{last}.pdf")


@router.get(
    "/agencies/{agency_id}/register.xlsx",
    summary="Sổ theo dõi hồ sơ (Mẫu số 07) của cơ quan trong kỳ, bảng tính XLSX",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, 403: {"description": "Không phải cán bộ của cơ quan"}},
)
async def register_xlsx(
    agency_id: str,
    first: From,
    last: To,
    runtime: Runtime,
    ctx: Ctx,
    forms: Forms,
    now: Now,
    actor: CurrentPrincipal,
) -> Response:
    async with runtime.transaction() as session:
        register = await dossier_register(session, ctx, forms, agency_id, first, last, actor, now)
    workbook = await asyncio.to_thread(render_register_xlsx, register)
    return _file(workbook, XLSX, f"mau-07-{agency_id}-{first}-{last}.xlsx")
