"""HTTP routes of a dossier itself: submission and detail."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, status
from pydantic import ValidationError

from dvc_intake import errors
from dvc_intake.api.multipart import files_part, multipart_body, read_multipart
from dvc_intake.deps import Ctx, MaybePrincipal, maybe_principal
from dvc_intake.schemas import DossierDetail, DossierForm, FileView, SubmittedDossier, inline_schema
from dvc_intake.service.dossiers import get_dossier
from dvc_intake.service.submission import submit_dossier

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])
FORM_SCHEMA = inline_schema(DossierForm)


def parse_form(raw: str) -> DossierForm:
    try:
        return DossierForm.model_validate(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise errors.invalid_json(exc.msg) from exc
    except ValidationError as exc:
        raise errors.invalid_dossier(
            [{"field": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()]
        ) from exc


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SubmittedDossier,
    summary="Nộp hồ sơ",
    openapi_extra=multipart_body(
        {
            "dossier": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": FORM_SCHEMA,
                "description": "JSON theo lược đồ DossierForm: procedure_code, agency_id, applicant_name,"
                " applicant_kind, email, phone, channel, eform (tờ khai điện tử), result_delivery,"
                " postal_address, components, notify_channels, reuse (giấy tờ trong kho dữ liệu); nộp"
                " trực tiếp, bưu chính: digitised, owner_identifier, owner_kind, authorised_person",
            },
            "files": files_part("Thành phần hồ sơ, theo thứ tự của `components`"),
        },
        ["dossier"],
    ),
)
async def submit(request: Request, ctx: Ctx) -> SubmittedDossier:
    async with read_multipart(request, ctx.limits) as uploaded:
        raw = uploaded.fields.get("dossier")
        if raw is None:
            raise errors.missing_part("dossier")
        form = parse_form(raw)
        if not uploaded.files and not form.reuse:
            raise errors.nothing_submitted()
        principal = await maybe_principal(request)  # after the form: a malformed one is answered first
        async with ctx.runtime.transaction() as session:
            created = await submit_dossier(
                session,
                ctx.runtime.outbox,
                ctx.blobs,
                form,
                uploaded.files,
                ctx.limits,
                principal=principal,
                scanner=ctx.scanner,
                owners=ctx.owners,
                authorization=request.headers.get("authorization"),
            )
    return SubmittedDossier.model_validate(created)


@router.get("/{code}", response_model=DossierDetail, summary="Tra cứu hồ sơ")
async def detail(code: str, ctx: Ctx, principal: MaybePrincipal) -> DossierDetail:
    # A dossier with an owner (VNeID citizen, or entered at the counter for one) is shown only to those
    # who may read it; an anonymous submission stays visible by its code (no applicant data is shown).
    async with ctx.runtime.transaction() as session:
        view = await get_dossier(session, code, principal)
    d = view.dossier
    return DossierDetail(
        code=d.code,
        procedure_code=d.procedure_code,
        procedure_name=view.procedure_name,
        agency_id=d.agency_id,
        channel=d.channel,
        status=d.status,
        status_name=d.status_name,
        submitted_at=d.submitted_at,
        updated_at=d.updated_at,
        files=[FileView.model_validate(f) for f in view.files],
    )
