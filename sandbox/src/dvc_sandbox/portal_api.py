"""HTTP routes of the simulated national public-service portal (Cổng Dịch vụ công quốc gia).

Every reply is ``{"error_code", "message"}``; "0" means success. Like the real portal, a rejected
record is answered with HTTP 200 and a non-zero error_code, so clients must read error_code.
Only authentication (401), an unknown dossier on GET (404) and a simulated outage (503) change
the HTTP status.
"""

from __future__ import annotations

import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from .portal_rules import ErrorCode, PortalRejection, require_array, validate_dossier, validate_step
from .portal_store import PortalStore
from .settings import SandboxSettings


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


def ensure_available(store: StoreDep) -> None:
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


@router.post("/dossiers/sync")
async def sync_dossiers(request: Request, store: StoreDep) -> JSONResponse:
    """Create or update dossiers by MaHoSo; every version received is kept."""
    try:
        records = require_array(await _json_body(request))
        for position, record in enumerate(records, start=1):
            validate_dossier(record, position)
    except PortalRejection as rejection:
        return reply(rejection.code, rejection.message)
    store.sync(records)
    return reply(ErrorCode.OK, f"Đồng bộ thành công {len(records)} hồ sơ")


@router.post("/dossiers/steps")
async def add_steps(request: Request, store: StoreDep) -> JSONResponse:
    """Record processing steps of dossiers already synchronised."""
    try:
        steps = require_array(await _json_body(request))
        for position, step in enumerate(steps, start=1):
            validate_step(step, position)
            if not store.knows(step["MaHoSo"]):
                raise PortalRejection(
                    ErrorCode.UNKNOWN_DOSSIER,
                    f"Bản ghi thứ {position}: hồ sơ {step['MaHoSo']} chưa được đồng bộ lên Cổng",
                )
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


@control_router.get("/state")
async def get_state(store: StoreDep) -> dict[str, Any]:
    return {"down": store.down, "refused_while_down": store.refused_while_down, "dossiers": store.codes()}


@control_router.delete("/records")
async def reset_records(store: StoreDep) -> dict[str, Any]:
    store.reset()
    return {"deleted": True}
