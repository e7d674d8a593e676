"""The system clock: the provincial operator shows and moves it; every service reads its setting."""

from __future__ import annotations

from fastapi import APIRouter

from dvc_common.clock import ClockChange, ClockSetting
from dvc_identity.deps import Ctx, Operator, RequestOrigin, Runtime
from dvc_identity.schemas import ClockView
from dvc_identity.service import clock as use_cases

router = APIRouter(tags=["clock"])


@router.get("/api/v1/clock", summary="Đồng hồ hệ thống (giờ hệ thống, chế độ, lần chỉnh gần nhất)")
async def show_clock(_: Operator, rt: Runtime) -> ClockView:
    return use_cases.clock_view(rt.clock, rt.settings.environment)


@router.post(
    "/api/v1/clock",
    summary="Chỉnh đồng hồ hệ thống: đặt tới một thời điểm hoặc cho tiến thêm (chỉ môi trường đào tạo, kiểm thử)",
)
async def change_clock(
    change: ClockChange, principal: Operator, rt: Runtime, ctx: Ctx, origin: RequestOrigin
) -> ClockView:
    async with rt.transaction() as session:
        setting = await use_cases.change_clock(session, ctx, rt.clock, principal, change, origin)
    rt.clock.apply(setting)  # this replica at once; the others hear clock.changed.v1
    return use_cases.clock_view(rt.clock, rt.settings.environment)


@router.get(
    "/api/v1/clock/setting",
    summary="Thiết lập đồng hồ mà mọi dịch vụ đọc khi khởi động (không chứa dữ liệu cá nhân)",
)
async def clock_setting(rt: Runtime) -> ClockSetting:
    return rt.clock.setting
