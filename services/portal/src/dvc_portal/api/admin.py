"""The agency administrator's officer accounts and the internal-process versions (publish shows
workflow's refusal reasons)."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from dvc_portal import errors
from dvc_portal.deps import CheckedForm, CurrentOfficer, PagesDep, PortalDep
from dvc_portal.domain.formatting import LOCK_REASONS, ROLES
from dvc_portal.service import admin, catalog, officer_auth, sessions

router = APIRouter(prefix="/can-bo/quan-tri", tags=["cán bộ: quản trị"])
OFFICERS = "/can-bo/quan-tri/can-bo"
PROCESSES = "/can-bo/quan-tri/quy-trinh"


@router.get("/can-bo", response_class=HTMLResponse, summary="Quản trị tài khoản cán bộ của cơ quan")
async def officers(request: Request, portal: PortalDep, pages: PagesDep, officer: CurrentOfficer) -> Response:
    listed, departments = await admin.officers(portal, officer)
    context = {"officers": listed, "departments": departments, "roles": ROLES, "reasons": LOCK_REASONS}
    return pages.render(request, "admin_officers.html", context)


@router.post("/can-bo", summary="Tạo tài khoản cán bộ")
async def create_officer(
    portal: PortalDep, pages: PagesDep, officer: CurrentOfficer, form: CheckedForm
) -> Response:
    body = {
        "username": form.get("username", "").strip(),
        "full_name": form.get("full_name", "").strip(),
        "position": form.get("position", "").strip(),
        "email": form.get("email", "").strip(),
        "department": form.get("department") or None,
        "roles": [r for r in ROLES if form.get(f"role_{r}")],
    }
    try:
        created = await admin.create_officer(portal, officer, body)
    except errors.Refused as refused:
        text = f"Chưa tạo được tài khoản: {refused.detail} {' '.join(admin.reasons_of(refused))}".strip()
        await sessions.flash(portal, officer.key, "error", text)
    else:
        sent_to = created.get("credentials_sent_to")
        where = f" Mật khẩu tạm thời đã được gửi tới thư điện tử {sent_to}." if sent_to else ""
        text = f"Đã tạo tài khoản {body['username']} ({body['full_name']}).{where}"
        await sessions.flash(portal, officer.key, "success", text)
    return pages.redirect(OFFICERS)


@router.post("/can-bo/{officer_id}/khoa", summary="Khóa tài khoản cán bộ")
async def lock(
    officer_id: str, portal: PortalDep, pages: PagesDep, officer: CurrentOfficer, form: CheckedForm
) -> Response:
    reason = form.get("reason") if form.get("reason") in LOCK_REASONS else "administrative"
    await _locking(portal, officer, officer_id, reason, form.get("name", ""))
    return pages.redirect(OFFICERS)


@router.post("/can-bo/{officer_id}/mo-khoa", summary="Mở khóa tài khoản cán bộ")
async def unlock(
    officer_id: str, portal: PortalDep, pages: PagesDep, officer: CurrentOfficer, form: CheckedForm
) -> Response:
    await _locking(portal, officer, officer_id, None, form.get("name", ""))
    return pages.redirect(OFFICERS)


async def _locking(
    portal: PortalDep, officer: CurrentOfficer, officer_id: str, reason: str | None, name: str
) -> None:
    verb = "Khóa" if reason else "Mở khóa"
    try:
        done = await admin.lock(portal, officer, officer_id, reason)
    except errors.Refused as refused:
        await sessions.flash(
            portal, officer.key, "error", f"Chưa {verb.lower()} được tài khoản {name}: {refused.detail}"
        )
        return
    if done is None:
        text = f"Đề nghị {verb.lower()} tài khoản {name} đang chờ người quản trị thứ hai phê duyệt."
    else:
        text = f"Đã {verb.lower()} tài khoản {done.full_name} ({done.username})."
    await sessions.flash(portal, officer.key, "success", text)


EXAMPLE = {
    "steps": [
        {"id": "tiep-nhan", "name": "Tiếp nhận", "role": "one_stop_officer",
         "budget": {"value": 4, "unit": "working_hours"}, "next": ["tham-dinh"]},
        {"id": "tham-dinh", "name": "Thẩm định", "role": "processing_officer",
         "budget": {"value": 10, "unit": "working_days"}, "next": ["tra-ket-qua"]},
        {"id": "tra-ket-qua", "name": "Trả kết quả", "role": "one_stop_officer", "kind": "result"},
    ]
}  # fmt: skip


@router.get("/quy-trinh", response_class=HTMLResponse, summary="Quy trình nội bộ: phiên bản, công bố")
async def processes(
    request: Request,
    portal: PortalDep,
    pages: PagesDep,
    officer: CurrentOfficer,
    procedure: Annotated[str, Query(max_length=64)] = "",
    agency: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    agency = agency or (officer.agency_id or "")
    versions, problem = [], None
    if procedure:
        try:
            versions = await admin.processes(portal, officer, procedure, agency)
        except errors.Refused as refused:
            problem = {"title": refused.title, "detail": refused.detail}
    context = {
        "procedures": await catalog.procedures(portal),
        "agencies": await officer_auth.agencies(portal),
        "procedure": procedure,
        "agency": agency,
        "versions": versions,
        "problem": problem,
        "example": json.dumps(EXAMPLE, ensure_ascii=False, indent=2),
    }
    return pages.render(request, "admin_processes.html", context)


@router.post("/quy-trinh", summary="Tạo bản nháp quy trình nội bộ")
async def create_draft(
    portal: PortalDep, pages: PagesDep, officer: CurrentOfficer, form: CheckedForm
) -> Response:
    procedure, agency = form.get("procedure", ""), form.get("agency", "")
    parsed = admin.parse_definition(form.get("definition", ""))
    if isinstance(parsed, errors.Refused):
        await sessions.flash(portal, officer.key, "error", f"{parsed.title}: {parsed.detail}")
    else:
        try:
            draft = await admin.create_draft(portal, officer, procedure, agency, parsed)
        except errors.Refused as refused:
            await sessions.flash(portal, officer.key, "error", f"Chưa lưu được bản nháp: {refused.detail}")
        else:
            await sessions.flash(
                portal, officer.key, "success", f"Đã lưu bản nháp phiên bản {draft.version}."
            )
    return pages.redirect(f"{PROCESSES}?{urlencode({'procedure': procedure, 'agency': agency})}")


@router.post("/quy-trinh/{process_id}/cong-bo", summary="Công bố một phiên bản quy trình")
async def publish(
    process_id: int, portal: PortalDep, pages: PagesDep, officer: CurrentOfficer, form: CheckedForm
) -> Response:
    try:
        done = await admin.publish(portal, officer, process_id)
    except errors.Refused as refused:
        # Workflow's detail names every reason (steps, budgets against the legal time, fees, roles).
        await sessions.flash(portal, officer.key, "error", f"{refused.title}. {refused.detail}")
    else:
        text = f"Đã công bố phiên bản {done.version}: hồ sơ mới của thủ tục này theo quy trình này."
        await sessions.flash(portal, officer.key, "success", text)
    query = urlencode({"procedure": form.get("procedure", ""), "agency": form.get("agency", "")})
    return pages.redirect(f"{PROCESSES}?{query}")
