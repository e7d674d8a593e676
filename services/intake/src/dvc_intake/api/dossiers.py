"""HTTP routes of a dossier itself: submission and detail."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile, status
from pydantic import ValidationError

from dvc_common.auth import Role, current_principal
from dvc_common.problems import Problem
from dvc_common.runtime import RuntimeDep
from dvc_intake.schemas import DossierDetail, DossierForm, FileView, SubmittedDossier
from dvc_intake.service.dossiers import get_dossier
from dvc_intake.service.submission import submit_dossier

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])

Runtime = RuntimeDep


def parse_form(raw: str) -> DossierForm:
    try:
        return DossierForm.model_validate(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise Problem(
            422, "invalid-json", "Phần `dossier` không phải JSON hợp lệ", f"Lỗi cú pháp JSON: {exc.msg}."
        ) from exc
    except ValidationError as exc:
        errors = [{"field": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()]
        raise Problem(
            422,
            "invalid-dossier",
            "Thông tin hồ sơ không hợp lệ",
            "Vui lòng kiểm tra các trường được liệt kê trong `errors`.",
            errors=errors,
        ) from exc


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SubmittedDossier, summary="Nộp hồ sơ")
async def submit(
    request: Request,
    runtime: Runtime,
    dossier: Annotated[
        str,
        Form(
            description="JSON: procedure_code, applicant_name, email, phone, channel, notify_channels,"
            " reuse (giấy tờ trong kho dữ liệu), digitised và owner_subject (nộp trực tiếp)"
        ),
    ],
    files: Annotated[list[UploadFile] | None, File(description="Thành phần hồ sơ")] = None,
) -> SubmittedDossier:
    form = parse_form(dossier)
    if not files and not form.reuse:
        raise Problem(
            422,
            "invalid-request",
            "Yêu cầu không hợp lệ",
            "Hồ sơ phải có tệp đính kèm (trường `files`) hoặc giấy tờ dùng lại từ kho dữ liệu (`reuse`).",
            errors=[{"field": "body.files", "message": "Field required"}],
        )
    state = request.app.state
    # Anonymous submission stays possible; a signed-in applicant (VNeID) becomes the dossier's owner;
    # a one-stop officer submits at the counter on behalf of an applicant (channel 1).
    owner = None
    counter = False
    if request.headers.get("authorization"):
        principal = await current_principal(request)
        owner = None if principal.is_officer else principal.subject
        counter = principal.is_officer and principal.has_any_role(Role.ONE_STOP_OFFICER)
    async with runtime.transaction() as session:
        created = await submit_dossier(
            session,
            runtime.outbox,
            state.blobs,
            form,
            files or [],
            state.limits,
            owner_subject=owner,
            scanner=state.scanner,
            counter_officer=counter,
        )
    return SubmittedDossier(
        code=created.code,
        status=created.status,
        status_name=created.status_name,
        submitted_at=created.submitted_at,
    )


@router.get("/{code}", response_model=DossierDetail, summary="Tra cứu hồ sơ")
async def detail(code: str, request: Request, runtime: Runtime) -> DossierDetail:
    # A dossier with an owner (VNeID citizen, or entered at the counter for one) is shown only to those
    # who may read it; an anonymous submission stays visible by its code (no applicant data is shown).
    principal = await current_principal(request) if request.headers.get("authorization") else None
    async with runtime.transaction() as session:
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
        files=[
            FileView(
                position=f.position,
                name=f.name,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                scan_status=f.scan_status,
                digitised=f.digitised,
                signed=f.signed,
                reused_from=f.reused_from,
                supplement_round=f.supplement_round,
                kind=f.kind,
            )
            for f in view.files
        ],
    )
