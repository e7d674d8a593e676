"""`dvc audit verify`: a thin client of the auditor endpoint that checks a service's audit hash chain."""

from __future__ import annotations

import json
import os
from typing import Annotated, Literal

import httpx
import typer

audit_app = typer.Typer(help="Nhật ký kiểm toán dạng chuỗi băm: kiểm tra toàn vẹn.", no_args_is_help=True)

Service = Literal["workflow", "identity"]
Token = Annotated[str, typer.Option(envvar="DVC_TOKEN", help="bearer token of an auditor")]
ServiceOption = Annotated[str, typer.Option(help="whose chain: workflow (dossiers) or identity (accounts)")]
Url = Annotated[str | None, typer.Option(help="the service's base URL (default DVC_<SERVICE>_URL)")]
DEFAULT_URLS = {"workflow": "http://127.0.0.1:8002", "identity": "http://127.0.0.1:8007"}


@audit_app.command("verify")
def verify(token: Token, service: ServiceOption = "workflow", url: Url = None) -> None:
    """Kiểm tra toàn bộ chuỗi nhật ký; chỉ ra bản ghi đầu tiên có liên kết bị phá vỡ (mã thoát 2)."""
    if service not in DEFAULT_URLS:
        typer.echo(f"Không có chuỗi nhật ký của dịch vụ {service} (workflow hoặc identity).", err=True)
        raise typer.Exit(1)
    base = url or os.environ.get(f"DVC_{service.upper()}_URL") or DEFAULT_URLS[service]
    response = httpx.get(
        base.rstrip("/") + "/api/v1/audit/verify", headers={"Authorization": f"Bearer {token}"}, timeout=600
    )
    body = response.json()
    if response.status_code >= 400:
        typer.echo(f"{body.get('title', 'Lỗi')}: {body.get('detail', response.text)}", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
    if not body.get("ok"):
        raise typer.Exit(2)
