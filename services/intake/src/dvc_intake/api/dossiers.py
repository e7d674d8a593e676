"""HTTP routes of a dossier itself: submission and detail."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, status
from pydantic import ValidationError

from dvc_common.problems import field_errors
from dvc_intake import errors
from dvc_intake.api.multipart import files_part, multipart_body, read_multipart, upload_responses
from dvc_intake.deps import Ctx, MaybePrincipal, maybe_principal
from dvc_intake.schemas import DossierDetail, DossierForm, SubmittedDossier, inline_schema
from dvc_intake.service.dossiers import dossier_detail, get_dossier
from dvc_intake.service.submission import submit_dossier

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])
FORM_SCHEMA = inline_schema(DossierForm)


def parse_form(raw: str) -> DossierForm:
    try:
        return DossierForm.model_validate(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise errors.invalid_json(exc.msg) from exc
    except ValidationError as exc:
        raise errors.invalid_dossier(field_errors(exc.errors())) from exc  # in Vietnamese


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SubmittedDossier,
    summary="Nộp hồ sơ",
    responses=upload_responses(401, 403, 413, 415, 422, 503),
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


@router.get("/{code}", response_model=DossierDetail, summary="Xem hồ sơ")
async def detail(code: str, ctx: Ctx, principal: MaybePrincipal) -> DossierDetail:
    # The whole dossier for those who may read it (owner, handling agency, auditors); a dossier with
    # no owner shows its public state to anyone, without personal data or file names.
    async with ctx.runtime.transaction() as session:
        view = await get_dossier(session, code, principal)
    return dossier_detail(view)
