"""HTTP routes of the simulated national public-service portal (Cổng Dịch vụ công quốc gia).

Create (`/dossiers/create`, "8" when the dossier exists), update (`/dossiers/update`, "6" when it
does not), create-or-update (`/dossiers/sync`), processing steps, a query of current records, and
the dossiers citizens submitted on the portal (`/inbound`, by cursor). Control endpoints make it go
down, slow down or reject a given dossier, and create national submissions.

Every reply is ``{"error_code", "message"}``; "0" means success. Like the real portal, a rejected
record is answered with HTTP 200 and a non-zero error_code, so clients must read error_code.
Only authentication (401), an unknown dossier on GET (404) and a simulated outage (503) change
the HTTP status.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from dvc_common import clock

from .portal_rules import ErrorCode, PortalRejection, require_array, validate_dossier, validate_step
from .portal_store import Fault, PortalStore
from .settings import SandboxSettings

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class PortalFailure(Exception):
    """Ends a request with an HTTP status and an error_code reply."""

    def __init__(self, status: int, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def reply(code: ErrorCode, message: str, status: int = 200, **extra: Any) -> JSONResponse:
    return JSONResponse({"error_code": code.value, "message": message, **extra}, status_code=status)


async def portal_failure_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PortalFailure)
    headers = {"Retry-After": "5"} if exc.status == 503 else None
    response = reply(exc.code, exc.message, exc.status)
    response.headers.update(headers or {})
    return response


def get_store(request: Request) -> PortalStore:
    store: PortalStore = request.app.state.portal
    return store


StoreDep = Annotated[PortalStore, Depends(get_store)]


async def ensure_available(store: StoreDep) -> None:
    if store.latency_seconds > 0:
        await asyncio.sleep(store.latency_seconds)
    if store.down:
        store.refused_while_down += 1
        raise PortalFailure(503, ErrorCode.UNAVAILABLE, "Cổng Dịch vụ công quốc gia tạm thời không phục vụ")


def ensure_authorised(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> None:
    settings: SandboxSettings = request.app.state.settings
    offered = x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        offered = authorization[7:].strip()
    if offered is None or not secrets.compare_digest(offered.encode(), settings.portal_api_key.encode()):
        raise PortalFailure(401, ErrorCode.UNAUTHORIZED, "Khóa truy cập không hợp lệ hoặc bị thiếu")


router = APIRouter(
    prefix="/national-portal/api",
    tags=["national portal"],
    dependencies=[Depends(ensure_available), Depends(ensure_authorised)],
)


async def _json_body(request: Request) -> object:
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise PortalRejection(ErrorCode.MALFORMED, "Dữ liệu gửi lên không phải JSON hợp lệ") from None


def _check_faults(store: PortalStore, items: list[Any]) -> None:
    for position, item in enumerate(items, start=1):
        fault = store.fault_for(item["MaHoSo"])
        if fault is not None:
            raise PortalRejection(ErrorCode(fault.error_code), f"Bản ghi thứ {position}: {fault.message}")


async def _dossiers(request: Request, store: StoreDep, kind: str) -> list[Any]:
    store.count(kind)
    records = require_array(await _json_body(request))
    for position, record in enumerate(records, start=1):
        validate_dossier(record, position)
    _check_faults(store, records)
    return records


@router.post("/dossiers/sync")
async def sync_dossiers(request: Request, store: StoreDep) -> JSONResponse:
    """Create or update dossiers by MaHoSo; every version received is kept."""
    try:
        records = await _dossiers(request, store, "sync")
    except PortalRejection as rejection:
        return reply(rejection.code, rejection.message)
    store.sync(records)
    return reply(ErrorCode.OK, f"Đồng bộ thành công {len(records)} hồ sơ")


@router.post("/dossiers/create")
async def create_dossiers(request: Request, store: StoreDep) -> JSONResponse:
    """Create dossiers; one the portal already has rejects the whole array with "8"."""
    try:
        records = await _dossiers(request, store, "create")
        seen: set[str] = set()
        for position, record in enumerate(records, start=1):
            code = record["MaHoSo"]
            if store.knows(code) or code in seen:
                raise PortalRejection(
                    ErrorCode.DUPLICATE, f"Bản ghi thứ {position}: hồ sơ {code} đã tồn tại trên Cổng"
                )
            seen.add(code)
    except PortalRejection as rejection:
        return reply(rejection.code, rejection.message)
    store.sync(records)
    return reply(ErrorCode.OK, f"Thêm mới thành công {len(records)} hồ sơ")


@router.post("/dossiers/update")
async def update_dossiers(request: Request, store: StoreDep) -> JSONResponse:
    """Update dossiers already created, in array order; an unknown one rejects the array with "6"."""
    try:
        records = await _dossiers(request, store, "update")
        created = {r["MaHoSo"] for r in records if store.knows(r["MaHoSo"])}
        for position, record in enumerate(records, start=1):
            if record["MaHoSo"] not in created:
                raise PortalRejection(
                    ErrorCode.UNKNOWN_DOSSIER,
                    f"Bản ghi thứ {position}: hồ sơ {record['MaHoSo']} chưa được tạo trên Cổng",
                )
    except PortalRejection as rejection:
        return reply(rejection.code, rejection.message)
    store.sync(records)
    return reply(ErrorCode.OK, f"Cập nhật thành công {len(records)} hồ sơ")


class DossierQuery(BaseModel):
    MaHoSo: list[str] = Field(max_length=1000)


@router.post("/dossiers/query")
async def query_dossiers(query: DossierQuery, store: StoreDep) -> JSONResponse:
    """The current record of each code the portal knows (for reconciliation); unknown codes are absent."""
    store.count("query")
    found = [record for code in query.MaHoSo if (record := store.current(code)) is not None]
    return reply(ErrorCode.OK, f"Tìm thấy {len(found)}/{len(query.MaHoSo)} hồ sơ", data=found)


@router.get("/inbound")
async def inbound(store: StoreDep, after: int = 0, limit: int = 100) -> JSONResponse:
    """Dossiers submitted on the national portal for this province, after a cursor, oldest first."""
    store.count("inbound")
    items = store.submissions_after(after, min(max(limit, 1), 500))
    return reply(ErrorCode.OK, f"{len(items)} hồ sơ nộp trên Cổng", data=items)


@router.post("/dossiers/steps")
async def add_steps(request: Request, store: StoreDep) -> JSONResponse:
    """Record processing steps of dossiers already synchronised."""
    store.count("steps")
    try:
        steps = require_array(await _json_body(request))
        for position, step in enumerate(steps, start=1):
            validate_step(step, position)
            if not store.knows(step["MaHoSo"]):
                raise PortalRejection(
                    ErrorCode.UNKNOWN_DOSSIER,
                    f"Bản ghi thứ {position}: hồ sơ {step['MaHoSo']} chưa được đồng bộ lên Cổng",
                )
        _check_faults(store, steps)
    except PortalRejection as rejection:
        return reply(rejection.code, rejection.message)
    store.add_steps(steps)
    return reply(ErrorCode.OK, f"Cập nhật thành công {len(steps)} bước xử lý")


@router.get("/dossiers/{code}")
async def get_dossier(code: str, store: StoreDep) -> JSONResponse:
    """The current record, every version received and every step, for tests to check."""
    found = store.get(code)
    if found is None:
        raise PortalFailure(404, ErrorCode.NOT_FOUND, f"Không tìm thấy hồ sơ {code}")
    return reply(ErrorCode.OK, "Thành công", data=found)


class OutageSwitch(BaseModel):
    down: bool


control_router = APIRouter(prefix="/national-portal/_control", tags=["sandbox control"])


@control_router.post("/outage")
async def set_outage(switch: OutageSwitch, store: StoreDep) -> dict[str, Any]:
    """Simulate the portal being down (every API call answers 503) or back up."""
    store.down = switch.down
    return {"down": store.down}


class LatencySwitch(BaseModel):
    seconds: float = Field(ge=0, le=120)


@control_router.post("/latency")
async def set_latency(switch: LatencySwitch, store: StoreDep) -> dict[str, Any]:
    """Simulate a slow portal: every API call waits this long before answering (0: normal)."""
    store.latency_seconds = switch.seconds
    return {"latency_seconds": store.latency_seconds}


class FaultSpec(BaseModel):
    MaHoSo: str
    error_code: str = Field(default="5", pattern=r"^[1-7]$")
    message: str = "Dữ liệu hồ sơ không hợp lệ (mô phỏng)"
    times: int | None = Field(default=None, ge=1, description="How many answers; absent: until cleared")


@control_router.post("/faults")
async def add_fault(spec: FaultSpec, store: StoreDep) -> dict[str, Any]:
    """Make the portal reject every record or step of one dossier with an error code."""
    store.faults[spec.MaHoSo] = Fault(spec.error_code, spec.message, spec.times)
    return {"faults": sorted(store.faults)}


@control_router.delete("/faults")
async def clear_faults(store: StoreDep) -> dict[str, Any]:
    store.faults.clear()
    return {"faults": []}


class NationalSubmission(BaseModel):
    """A dossier a citizen submits on the national portal (national field names)."""

    MaTTHC: str
    ChuHoSo: str
    LoaiDoiTuong: int = Field(default=1, ge=1, le=4)
    SoGiayTo: str | None = None
    Email: str | None = None
    SoDienThoai: str | None = None
    TrichYeuHoSo: str | None = None
    TaiLieuNop: list[dict[str, Any]] = Field(default_factory=list)


@control_router.post("/submissions", status_code=201)
async def submit_on_portal(submission: NationalSubmission, store: StoreDep) -> dict[str, Any]:
    """A citizen submits a dossier on the national portal; the province fetches it from /inbound."""
    stored = store.submit(
        {**submission.model_dump(), "NgayNopHoSo": clock.now().astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")}
    )
    return stored


@control_router.get("/submissions")
async def list_submissions(store: StoreDep) -> list[dict[str, Any]]:
    """National submissions, with the province's dossier code (MaHoSo) once it synced one back."""
    return store.submissions


@control_router.get("/state")
async def get_state(store: StoreDep) -> dict[str, Any]:
    return {
        "down": store.down,
        "latency_seconds": store.latency_seconds,
        "refused_while_down": store.refused_while_down,
        "calls": store.calls,
        "faults": sorted(store.faults),
        "submissions": len(store.submissions),
        "dossiers": store.codes(),
    }


@control_router.delete("/records")
async def reset_records(store: StoreDep) -> dict[str, Any]:
    store.reset()
    return {"deleted": True}
