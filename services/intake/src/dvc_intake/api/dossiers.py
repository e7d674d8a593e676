"""HTTP routes for dossiers (thin: parse, call one use-case, map the result)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, Response, UploadFile, status
from fastapi.responses import RedirectResponse, StreamingResponse
from pydantic import BaseModel, ValidationError

from dvc_common.auth import CurrentPrincipal, Role, current_principal
from dvc_common.blob import BlobNotFound
from dvc_common.problems import Problem
from dvc_common.runtime import RuntimeDep
from dvc_intake.models import PaymentReceipt
from dvc_intake.service import (
    DossierForm,
    add_results,
    get_dossier,
    my_dossiers,
    my_receipts,
    readable_file,
    readable_receipts,
    readable_slips,
    stored_documents,
    submit_dossier,
    supplement_dossier,
)
from dvc_intake.slips import TITLES

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])
my_router = APIRouter(prefix="/api/v1/my", tags=["kho dữ liệu"])
LINK_LIFETIME = timedelta(minutes=5)


Runtime = RuntimeDep


class SubmittedDossier(BaseModel):
    code: str
    status: int
    status_name: str
    submitted_at: datetime


class FileView(BaseModel):
    position: int
    name: str
    content_type: str
    size: int
    sha256: str
    scan_status: str
    digitised: bool
    signed: bool
    reused_from: str | None
    supplement_round: int
    kind: str


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


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the exact (Vietnamese) name per RFC 6266/5987."""
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


@router.get(
    "/{code}/files/{position}",
    summary="Tải thành phần hồ sơ (chủ hồ sơ, cán bộ cơ quan giải quyết, thanh tra)",
    responses={200: {"content": {"application/octet-stream": {}}}, 307: {"description": "Liên kết ngắn hạn"}},
)
async def download(
    code: str, position: int, request: Request, runtime: Runtime, principal: CurrentPrincipal
) -> Response:
    async with runtime.transaction() as session:
        found = await readable_file(session, principal, code, position)
    return await serve_blob(request, found.sha256, found.name, found.content_type, found.size)


async def serve_blob(request: Request, sha256: str, name: str, content_type: str, size: int) -> Response:
    """S3: a redirect to a link valid five minutes, bound to this blob; local storage: streamed."""
    blobs = request.app.state.blobs
    link = blobs.presigned_get_url(sha256, LINK_LIFETIME, download_name=name, content_type=content_type)
    if link is not None:
        return RedirectResponse(link, status_code=307, headers={"Cache-Control": "no-store"})
    try:
        stream = await blobs.open(sha256)
    except BlobNotFound as exc:
        raise Problem(
            404, "file-not-found", "Không tìm thấy tệp", "Nội dung tệp không còn trong kho."
        ) from exc
    return StreamingResponse(
        stream,
        media_type=content_type,
        headers={
            "Content-Disposition": content_disposition(name),
            "Content-Length": str(size),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


class SlipView(BaseModel):
    id: int
    form: str
    title: str
    issued_at: datetime
    size: int
    url: str


@router.get("/{code}/slips", response_model=list[SlipView], summary="Phiếu của hồ sơ (Mẫu 01, 02, 03)")
async def slips(code: str, runtime: Runtime, principal: CurrentPrincipal) -> list[SlipView]:
    async with runtime.transaction() as session:
        found = await readable_slips(session, principal, code)
    return [
        SlipView(
            id=s.id or 0,
            form=s.form,
            title=TITLES[s.form],
            issued_at=s.issued_at,
            size=s.size,
            url=f"/api/v1/dossiers/{code}/slips/{s.id}",
        )
        for s in found
    ]


@router.get(
    "/{code}/slips/{slip_id}",
    summary="Tải phiếu (PDF)",
    responses={200: {"content": {"application/pdf": {}}}, 307: {"description": "Liên kết ngắn hạn"}},
)
async def slip_pdf(
    code: str, slip_id: int, request: Request, runtime: Runtime, principal: CurrentPrincipal
) -> Response:
    async with runtime.transaction() as session:
        found = [s for s in await readable_slips(session, principal, code) if s.id == slip_id]
    if not found:
        raise Problem(404, "slip-not-found", "Không tìm thấy phiếu", f"Hồ sơ «{code}» không có phiếu này.")
    slip = found[0]
    name = f"Mau-{slip.form}-{code}.pdf"
    return await serve_blob(request, slip.sha256, name, "application/pdf", slip.size)


class MyDossier(BaseModel):
    code: str
    procedure_code: str
    agency_id: str
    status: int
    status_name: str
    submitted_at: datetime
    appointment_at: datetime | None


@my_router.get("/dossiers", response_model=list[MyDossier], summary="Hồ sơ của tôi")
async def mine(runtime: Runtime, principal: CurrentPrincipal) -> list[MyDossier]:
    async with runtime.transaction() as session:
        dossiers = await my_dossiers(session, principal)
    return [
        MyDossier(
            code=d.code,
            procedure_code=d.procedure_code,
            agency_id=d.agency_id,
            status=d.status,
            status_name=d.status_name,
            submitted_at=d.submitted_at,
            appointment_at=d.appointment_at,
        )
        for d in dossiers
    ]


class StoredDocument(BaseModel):
    dossier_code: str
    position: int
    kind: str
    name: str
    content_type: str
    size: int
    submitted_at: datetime
    url: str


@my_router.get(
    "/documents",
    response_model=list[StoredDocument],
    summary="Kho dữ liệu: giấy tờ đã nộp, dùng lại được bằng `reuse` (dossier_code, position)",
)
async def my_documents(runtime: Runtime, principal: CurrentPrincipal) -> list[StoredDocument]:
    async with runtime.transaction() as session:
        found = await stored_documents(session, principal)
    return [
        StoredDocument(
            dossier_code=d.code,
            position=f.position,
            kind=f.kind,
            name=f.name,
            content_type=f.content_type,
            size=f.size,
            submitted_at=d.submitted_at,
            url=f"/api/v1/dossiers/{d.code}/files/{f.position}",
        )
        for d, f in found
    ]


class ReceiptView(BaseModel):
    payment_id: str
    dossier_code: str
    receipt_number: str
    amount: int
    sha256: str
    issued_at: datetime
    url: str


def _receipt_views(found: list[PaymentReceipt]) -> list[ReceiptView]:
    return [
        ReceiptView(
            payment_id=r.payment_id,
            dossier_code=r.dossier_code,
            receipt_number=r.receipt_number,
            amount=r.amount,
            sha256=r.sha256,
            issued_at=r.issued_at,
            url=r.url,
        )
        for r in found
    ]


@router.get(
    "/{code}/receipts", response_model=list[ReceiptView], summary="Biên lai thu phí, lệ phí của hồ sơ"
)
async def dossier_receipts(code: str, runtime: Runtime, principal: CurrentPrincipal) -> list[ReceiptView]:
    async with runtime.transaction() as session:
        return _receipt_views(await readable_receipts(session, principal, code))


@my_router.get("/receipts", response_model=list[ReceiptView], summary="Kho dữ liệu: biên lai đã nộp")
async def my_receipt_list(runtime: Runtime, principal: CurrentPrincipal) -> list[ReceiptView]:
    async with runtime.transaction() as session:
        return _receipt_views(await my_receipts(session, principal))


class Supplemented(BaseModel):
    code: str
    supplement_round: int
    positions: list[int]


@router.post(
    "/{code}/supplements",
    status_code=status.HTTP_201_CREATED,
    response_model=Supplemented,
    summary="Nộp bổ sung thành phần hồ sơ (khi cơ quan yêu cầu bổ sung)",
)
async def supplement(
    code: str,
    request: Request,
    runtime: Runtime,
    principal: CurrentPrincipal,
    files: Annotated[list[UploadFile], File(description="Thành phần bổ sung")],
) -> Supplemented:
    state = request.app.state
    async with runtime.transaction() as session:
        added = await supplement_dossier(
            session, runtime.outbox, state.blobs, principal, code, files, state.limits, scanner=state.scanner
        )
    return Supplemented(
        code=code,
        supplement_round=added[0].supplement_round if added else 0,
        positions=[f.position for f in added],
    )


class ResultsAdded(BaseModel):
    code: str
    positions: list[int]


@router.post(
    "/{code}/results",
    status_code=status.HTTP_201_CREATED,
    response_model=ResultsAdded,
    summary="Trả kết quả điện tử (vào kho dữ liệu của người nộp)",
)
async def results(
    code: str,
    request: Request,
    runtime: Runtime,
    principal: CurrentPrincipal,
    files: Annotated[list[UploadFile], File(description="Kết quả giải quyết (bản điện tử)")],
) -> ResultsAdded:
    state = request.app.state
    async with runtime.transaction() as session:
        added = await add_results(
            session, state.blobs, principal, code, files, state.limits, scanner=state.scanner
        )
    return ResultsAdded(code=code, positions=[f.position for f in added])
