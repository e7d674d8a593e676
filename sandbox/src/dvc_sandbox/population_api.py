"""Simulated national population database (Cơ sở dữ liệu quốc gia về dân cư): look-up by 12-digit ID.

``GET /population/api/citizens/{personal_id}`` with ``X-API-Key`` (``SANDBOX_POPULATION_API_KEY``,
default dev-sandbox-population-key). Every look-up is counted per caller key so tests can see calls.
"""

from __future__ import annotations

import hmac
import os
import re
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse

from .vneid_people import CITIZENS

PID = re.compile(r"^[0-9]{12}$")
router = APIRouter(prefix="/population", tags=["population"])


@router.get("/api/citizens/{personal_id}")
async def citizen(
    personal_id: str, request: Request, x_api_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    expected: str = request.app.state.population_api_key
    if not x_api_key or not hmac.compare_digest(x_api_key, expected):
        return JSONResponse(
            {"error": "unauthorized", "message": "Khóa truy cập không hợp lệ"}, status_code=401
        )
    if not PID.match(personal_id):
        return JSONResponse(
            {"error": "invalid", "message": "Số định danh phải gồm 12 chữ số"}, status_code=422
        )
    request.app.state.population_lookups.append(personal_id)
    for person in CITIZENS:
        if person["personal_id"] == personal_id:
            record: dict[str, Any] = {
                "personal_id": personal_id,
                "full_name": person["name"],
                "birth_date": person["birthdate"],
                "gender": person["gender"],
                "permanent_address": person["address"],
                "nationality": "Việt Nam",
            }
            return JSONResponse(record)
    return JSONResponse({"error": "not_found", "message": "Không tìm thấy công dân"}, status_code=404)


@router.get("/control/lookups")
async def lookups(request: Request) -> list[str]:
    """Test aid: which IDs were looked up (in order)."""
    found: list[str] = request.app.state.population_lookups
    return found


def install(app: FastAPI) -> None:
    app.state.population_api_key = os.environ.get("SANDBOX_POPULATION_API_KEY", "dev-sandbox-population-key")
    app.state.population_lookups = []
    app.include_router(router)
