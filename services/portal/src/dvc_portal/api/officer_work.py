"""An officer's work queues and the dossier page with its actions, documents and slips."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from dvc_common.events import NationalStatus
from dvc_portal import errors
from dvc_portal.api.downloads import pass_through
from dvc_portal.deps import CheckedForm, CurrentOfficer, PagesDep, PortalDep
from dvc_portal.domain import actions
from dvc_portal.domain.formatting import ACTIONS
from dvc_portal.service import catalog, officer_auth, officer_work, sessions
from dvc_portal.service.officer_work import QueueFilter

router = APIRouter(prefix="/can-bo/ho-so", tags=["cán bộ: xử lý hồ sơ"])
Scope = Literal["mine", "department", "agency", "inter_agency"]


@router.get("", response_class=HTMLResponse, summary="Hồ sơ cần xử lý")
async def queue(
    request: Request,
    portal: PortalDep,
    pages: PagesDep,
    officer: CurrentOfficer,
    scope: Scope = "mine",
    department: Annotated[str, Query(max_length=200)] = "",
    status: Annotated[int | None, Query(ge=1, le=10)] = None,
    procedure: Annotated[str, Query(max_length=64)] = "",
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    ma: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    if ma.strip():
        return pages.redirect(f"/can-bo/ho-so/{ma.strip()}")
    wanted = QueueFilter(scope, department.strip() or None, status, procedure or None, cursor)
    page, problem = None, None
    if scope == "department" and not wanted.department:
        problem = {"title": "Chọn phòng", "detail": "Nhập tên phòng chuyên môn để xem hồ sơ của phòng."}
    else:
        try:
            page = await officer_work.work_queue(portal, officer, wanted)
        except errors.Refused as refused:
            problem = {"title": refused.title, "detail": refused.detail}
    context = {
        "filter": wanted,
        "page": page,
        "problem": problem,
        "procedures": await catalog.procedures(portal),
        "names": await catalog.names(portal),
        "statuses": STATUSES,
    }
    return pages.render(request, "queue.html", context)


# The statuses a dossier can have while in a work queue (workflow's queue statuses), by national name.
STATUSES = {s.value: s.label_vi for s in NationalStatus if s.value in (1, 2, 4, 5, 6, 9)}


@router.get("/{code}", response_class=HTMLResponse, summary="Hồ sơ")
async def dossier(
    code: str, request: Request, portal: PortalDep, pages: PagesDep, officer: CurrentOfficer
) -> HTMLResponse:
    found = await officer_work.dossier(portal, officer, code)
    allowed = found.lifecycle.allowed_actions
    choices = {
        "colleagues": await _colleagues(portal, officer) if "assign" in allowed else [],
        "agencies": [(a.id, a.name) for a in await officer_auth.agencies(portal)]
        if "transfer" in allowed
        else [],
        "units": list(actions.EXTENSION_UNITS.items()),
        "delivery": [(m, actions.DELIVERY_METHODS.get(m, m)) for m in _delivery(found.procedure)],
    }
    forms = [(a, ACTIONS.get(a, a), actions.fields_of(a)) for a in allowed]
    return pages.render(request, "dossier.html", {"d": found, "forms": forms, "choices": choices})


def _delivery(procedure: object) -> list[str]:
    offered = getattr(procedure, "result_delivery", None)
    return list(offered) if offered else list(actions.DELIVERY_METHODS)


async def _colleagues(portal: PortalDep, officer: CurrentOfficer) -> list[tuple[str, str]]:
    listed = await officer_work.colleagues(portal, officer)
    return [(f"{o.id}|{o.full_name}", f"{o.full_name} — {o.position}") for o in listed or [] if not o.locked]


@router.post("/{code}/thao-tac/{action}", summary="Thực hiện thao tác trên hồ sơ")
async def act(
    code: str, action: str, portal: PortalDep, pages: PagesDep, officer: CurrentOfficer, form: CheckedForm
) -> Response:
    version = int(form["expected_version"]) if form.get("expected_version", "").isdigit() else None
    outcome = await officer_work.act(portal, officer, code, action, actions.body_of(action, form, version))
    name = ACTIONS.get(action, action)
    if isinstance(outcome, errors.Refused):
        if outcome.status == 409:
            await sessions.flash(portal, officer.key, "error", errors.dossier_moved_on(outcome.detail))
        else:
            await sessions.flash(
                portal, officer.key, "error", f"Chưa thực hiện được «{name}»: {outcome.detail}"
            )
    else:
        text = f"Đã thực hiện «{name}». Hồ sơ chuyển sang trạng thái «{outcome.status_name}»."
        await sessions.flash(portal, officer.key, "success", text)
    return pages.redirect(f"/can-bo/ho-so/{code}")


@router.get("/{code}/tep/{position}", summary="Xem, tải thành phần hồ sơ")
async def document(code: str, position: int, portal: PortalDep, officer: CurrentOfficer) -> Response:
    return await pass_through(portal, officer, f"/api/v1/dossiers/{code}/files/{position}")


@router.get("/{code}/phieu/{slip_id}", summary="Xem, in phiếu (PDF)")
async def slip(code: str, slip_id: int, portal: PortalDep, officer: CurrentOfficer) -> Response:
    return await pass_through(portal, officer, f"/api/v1/dossiers/{code}/slips/{slip_id}")
