"""What an applicant needs to know before submitting (public): the procedure as intake holds it."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_intake.deps import Ctx
from dvc_intake.domain.agencies import performing_agencies
from dvc_intake.schemas import ProcedureAgencyView, ProcedureView
from dvc_intake.service.catalog import procedure_for_applicants

router = APIRouter(prefix="/api/v1/procedures", tags=["thủ tục"])


@router.get("/{code}", response_model=ProcedureView, summary="Thông tin thủ tục trước khi nộp")
async def procedure(code: str, ctx: Ctx) -> ProcedureView:
    async with ctx.runtime.transaction() as session:
        found = await procedure_for_applicants(session, code)
    return ProcedureView(
        code=found.code,
        name=found.name,
        agency_id=found.agency_id,
        agency_name=found.agency_name,
        online_level=found.online_level,
        signature_required=found.signature_required,
        notice=SIGNATURE_NOTICE if found.signature_required else None,
        form_schema=found.form_schema,
        result_delivery=found.result_delivery or [],
        components=found.components or [],
        agencies=[
            ProcedureAgencyView(
                agency_id=a.agency_id, agency_name=a.agency_name, receiving_agency_id=a.receiving_agency_id
            )
            for a in performing_agencies(found.agencies, found.agency_id, found.agency_name)
        ],
    )


SIGNATURE_NOTICE = (
    "Thủ tục này yêu cầu tờ khai có chữ ký số: hãy ký số tệp PDF tờ khai (chữ ký số cá nhân hoặc của tổ"
    " chức) trước khi nộp; tệp không có chữ ký số sẽ bị từ chối."
)
