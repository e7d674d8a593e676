"""Citizen and organisation login through VNeID; their profile."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import RedirectResponse

from dvc_identity import errors
from dvc_identity.api.auth import no_store
from dvc_identity.deps import Ctx, CurrentCitizen, OneStopOfficer, RequestOrigin, Runtime
from dvc_identity.schemas import CitizenProfile, ResolvedSubject, ResolveIn, TokenPair
from dvc_identity.service import citizens

router = APIRouter(prefix="/api/v1/citizen", tags=["citizen"])
resolution = APIRouter(prefix="/api/v1/citizens", tags=["citizen"])


@router.get(
    "/login",
    summary="Đăng nhập bằng VNeID (chuyển hướng sang VNeID)",
    status_code=302,
    response_class=RedirectResponse,
    responses={302: {"description": "Chuyển hướng tới trang đăng nhập VNeID"}},
)
async def login(rt: Runtime, ctx: Ctx) -> RedirectResponse:
    async with rt.transaction() as session:
        url = await citizens.start_citizen_login(session, ctx)
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})


@router.get("/callback", summary="VNeID trả về mã xác thực")
async def callback(
    rt: Runtime,
    ctx: Ctx,
    origin: RequestOrigin,
    response: Response,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
) -> TokenPair:
    no_store(response)
    async with rt.transaction() as session:
        outcome = await citizens.finish_citizen_login(
            session, ctx, code=code, state=state, error=error, origin=origin
        )
    return errors.settled(outcome)


@router.get("/me", summary="Thông tin tài khoản công dân, tổ chức")
async def citizen_me(principal: CurrentCitizen, rt: Runtime) -> CitizenProfile:
    async with rt.transaction() as session:
        return await citizens.citizen_profile(session, principal)


@resolution.post(
    "/resolve",
    summary="Xác định tài khoản VNeID của công dân, tổ chức từ số định danh (tiếp nhận trực tiếp)",
    responses={
        404: {"description": "Không có tài khoản VNeID mang số này"},
        422: {"description": "Số định danh không đúng định dạng"},
        503: {"description": "Không kết nối được VNeID"},
    },
)
async def resolve(
    body: ResolveIn, principal: OneStopOfficer, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> ResolvedSubject:
    """Bộ phận Một cửa kiểm tra tài khoản VNeID của người nộp (khi ủy quyền: của người ủy quyền)
    qua số định danh cá nhân hoặc mã số tổ chức (Điều 10.1.a Quy chế tỉnh Lai Châu); kết quả là
    mã chủ kho dữ liệu để đưa hồ sơ vào kho của họ."""
    async with rt.transaction() as session:
        outcome = await citizens.resolve_subject(session, ctx, principal, body, origin)
    return errors.settled(outcome)
