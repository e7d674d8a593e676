"""HTTP routes for dossiers (thin: parse, call one use-case, map the result)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile, status
from pydantic import BaseModel, ValidationError

from dvc_common.auth import current_principal
from dvc_common.problems import Problem
from dvc_common.runtime import RuntimeDep
from dvc_intake.service import DossierForm, get_dossier, submit_dossier

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


Runtime = RuntimeDep


class SubmittedDossier(BaseModel):
    code: str
    status: int
    status_name: str
    submitted_at: datetime


class FileView(BaseModel):
    name: str
    content_type: str
    size: int
    sha256: str


class DossierDetail(BaseModel):
    code: str
    procedure_code: str
    procedure_name: str | None
    agency_id: str
    channel: int
    status: int
    status_name: str
    submitted_at: datetime
    updated_at: datetime
    files: list[FileView]


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
    dossier: Annotated[str, Form(description="JSON: procedure_code, applicant_name, email, phone")],
    files: Annotated[list[UploadFile], File(description="Thành phần hồ sơ")],
) -> SubmittedDossier:
    form = parse_form(dossier)
    state = request.app.state
    # Anonymous submission stays possible; a signed-in applicant (VNeID) becomes the dossier's owner.
    owner = None
    if request.headers.get("authorization"):
        principal = await current_principal(request)
        owner = None if principal.is_officer else principal.subject
    async with runtime.transaction() as session:
        created = await submit_dossier(
            session, runtime.outbox, state.blobs, form, files, state.limits, owner_subject=owner
        )
    return SubmittedDossier(
        code=created.code,
        status=created.status,
        status_name=created.status_name,
        submitted_at=created.submitted_at,
    )


@router.get("/{code}", response_model=DossierDetail, summary="Tra cứu hồ sơ")
async def detail(code: str, runtime: Runtime) -> DossierDetail:
    async with runtime.transaction() as session:
        view = await get_dossier(session, code)
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
            FileView(name=f.name, content_type=f.content_type, size=f.size, sha256=f.sha256)
            for f in view.files
        ],
    )
