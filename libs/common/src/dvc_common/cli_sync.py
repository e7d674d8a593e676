"""`dvc sync ...`: a thin client of sync-national's operator endpoints (provincial operators)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
import typer

sync_app = typer.Typer(
    help="Đồng bộ Cổng Dịch vụ công quốc gia: tồn đọng, lỗi, một hồ sơ, gửi lại, đối soát.",
    no_args_is_help=True,
)

Url = Annotated[str, typer.Option(envvar="DVC_SYNC_NATIONAL_URL", help="sync-national base URL")]
Token = Annotated[str, typer.Option(envvar="DVC_TOKEN", help="bearer token of a provincial operator")]
DEFAULT_URL = "http://127.0.0.1:8005"


def _call(method: str, url: str, token: str, path: str, **params: Any) -> Any:
    response = httpx.request(
        method,
        url.rstrip("/") + "/api/v1/sync" + path,
        headers={"Authorization": f"Bearer {token}"},
        params={k: v for k, v in params.items() if v is not None},
        timeout=120,
    )
    body = response.json()
    if response.status_code >= 400:
        typer.echo(f"{body.get('title', 'Lỗi')}: {body.get('detail', response.text)}", err=True)
        raise typer.Exit(1)
    return body


def _show(body: Any) -> None:
    typer.echo(json.dumps(body, ensure_ascii=False, indent=2, default=str))


@sync_app.command("backlog")
def backlog(token: Token, url: Url = DEFAULT_URL) -> None:
    """Thay đổi chưa đồng bộ, hồ sơ chờ, hồ sơ lỗi."""
    _show(_call("GET", url, token, "/backlog"))


@sync_app.command("failures")
def failures(token: Token, url: Url = DEFAULT_URL, limit: int = 50) -> None:
    """Hồ sơ đồng bộ thất bại gần nhất, với lỗi của Cổng."""
    _show(_call("GET", url, token, "/failures", limit=limit))


@sync_app.command("show")
def show(code: str, token: Token, url: Url = DEFAULT_URL) -> None:
    """Trạng thái đồng bộ của một hồ sơ: lần gửi, thay đổi, lỗi."""
    _show(_call("GET", url, token, f"/dossiers/{code}"))


@sync_app.command("resend")
def resend(code: str, token: Token, url: Url = DEFAULT_URL) -> None:
    """Gửi lại một hồ sơ lên Cổng ngay."""
    _show(_call("POST", url, token, f"/dossiers/{code}/resend"))


@sync_app.command("reconcile")
def reconcile(token: Token, url: Url = DEFAULT_URL, agency_id: str | None = None) -> None:
    """Đối soát với Cổng: khác biệt và tỷ lệ hồ sơ đã đồng bộ (đánh giá §10)."""
    _show(_call("GET", url, token, "/reconciliation", agency_id=agency_id))
