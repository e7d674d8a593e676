"""`dvc audit verify`: a thin client of the auditor endpoint that checks a service's audit hash chain."""

from __future__ import annotations

import json
from typing import Annotated

import httpx
import typer

audit_app = typer.Typer(help="Nhật ký kiểm toán dạng chuỗi băm: kiểm tra toàn vẹn.", no_args_is_help=True)

Url = Annotated[str, typer.Option(envvar="DVC_WORKFLOW_URL", help="workflow base URL")]
Token = Annotated[str, typer.Option(envvar="DVC_TOKEN", help="bearer token of an auditor")]
DEFAULT_URL = "http://127.0.0.1:8002"


@audit_app.command("verify")
def verify(token: Token, url: Url = DEFAULT_URL) -> None:
    """Kiểm tra toàn bộ chuỗi nhật ký; chỉ ra bản ghi đầu tiên bị sửa (mã thoát 2 khi chuỗi bị phá vỡ)."""
    response = httpx.get(
        url.rstrip("/") + "/api/v1/audit/verify", headers={"Authorization": f"Bearer {token}"}, timeout=600
    )
    body = response.json()
    if response.status_code >= 400:
        typer.echo(f"{body.get('title', 'Lỗi')}: {body.get('detail', response.text)}", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
    if not body.get("ok"):
        raise typer.Exit(2)
