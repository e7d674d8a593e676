"""FastAPI dependencies: the verified principal of the request's bearer token, and role checks."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request

from dvc_common.principal import Principal, Role
from dvc_common.problems import Problem
from dvc_common.tokens import TokenVerifier


def _unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "unauthorized",
        "Chưa xác thực",
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="dvc"'},
    )


async def current_principal(request: Request) -> Principal:
    """FastAPI dependency: the verified principal of the `Authorization: Bearer` token."""
    verifier: TokenVerifier | None = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        raise RuntimeError("app.state.token_verifier is not configured")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("Vui lòng đăng nhập: thiếu mã truy cập (Authorization: Bearer …).")
    try:
        return await verifier.verify(token)
    except (jwt.InvalidTokenError, KeyError) as exc:
        raise _unauthorized("Mã truy cập không hợp lệ hoặc đã hết hạn; vui lòng đăng nhập lại.") from exc


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    """Dependency factory: an officer holding at least one of `roles`."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.is_officer or not principal.has_any_role(*roles):
            names = ", ".join(role.value for role in roles)
            raise Problem(
                403, "forbidden", "Không có quyền", f"Thao tác này cần một trong các vai trò: {names}."
            )
        return principal

    return check
