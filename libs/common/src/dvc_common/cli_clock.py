"""`dvc clock show|set|advance`: a thin client of identity's clock endpoint (provincial operators).

Only development and training environments let the clock move, and only forward; production answers
with the reason (a problem in Vietnamese), shown as is.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated, Any

import httpx
import typer
from pydantic import TypeAdapter, ValidationError

clock_app = typer.Typer(
    help="Đồng hồ hệ thống (môi trường đào tạo, kiểm thử): xem, đặt tới một thời điểm, cho tiến thêm.",
    no_args_is_help=True,
)

Url = Annotated[str, typer.Option(envvar="DVC_IDENTITY_URL", help="identity base URL")]
Token = Annotated[str, typer.Option(envvar="DVC_TOKEN", help="bearer token of a provincial operator")]
Frozen = Annotated[
    bool | None, typer.Option("--frozen/--running", help="dừng đồng hồ tại đó / cho chạy tiếp từ đó")
]
DEFAULT_URL = "http://127.0.0.1:8007"


def _call(method: str, url: str, token: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.request(
        method,
        url.rstrip("/") + "/api/v1/clock",
        headers={"Authorization": f"Bearer {token}"},
        json=body,
        timeout=30,
    )
    answer: dict[str, Any] = response.json()
    if response.status_code >= 400:
        typer.echo(f"{answer.get('title', 'Lỗi')}: {answer.get('detail', response.text)}", err=True)
        raise typer.Exit(1)
    return answer


def _show(view: dict[str, Any]) -> None:
    typer.echo(f"Giờ hệ thống: {view['now_local']} — {view['description']}")
    typer.echo(json.dumps(view, ensure_ascii=False, indent=2))


def parse_instant(text: str) -> datetime:
    """ISO 8601 with an offset, e.g. 2027-02-03T15:30:00+07:00 (a naive time is refused)."""
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"không đọc được thời điểm {text!r} (ví dụ 2027-02-03T15:30:00+07:00)"
        ) from None
    if instant.tzinfo is None:
        raise typer.BadParameter("cần ghi rõ múi giờ, ví dụ +07:00")
    return instant


def parse_duration(text: str) -> timedelta:
    """ISO 8601 (PT2H30M, P3D) or seconds."""
    try:
        return TypeAdapter(timedelta).validate_python(float(text) if text.isdigit() else text)
    except ValidationError:
        raise typer.BadParameter(f"không đọc được khoảng thời gian {text!r} (ví dụ PT2H30M, P3D)") from None


@clock_app.command("show")
def show(token: Token, url: Url = DEFAULT_URL) -> None:
    """Giờ hệ thống, chế độ (thật, chạy lệch, dừng) và lần chỉnh gần nhất."""
    _show(_call("GET", url, token))


@clock_app.command("set")
def set_to(instant: str, token: Token, url: Url = DEFAULT_URL, frozen: Frozen = None) -> None:
    """Đặt đồng hồ tới INSTANT (không được lùi), ví dụ 2027-02-03T15:30:00+07:00."""
    body: dict[str, Any] = {"set_to": parse_instant(instant).isoformat()}
    if frozen is not None:
        body["frozen"] = frozen
    _show(_call("POST", url, token, body))


@clock_app.command("advance")
def advance(duration: str, token: Token, url: Url = DEFAULT_URL, frozen: Frozen = None) -> None:
    """Cho đồng hồ tiến thêm DURATION, ví dụ PT2H30M hoặc P3D."""
    body: dict[str, Any] = {"advance_by": parse_duration(duration).total_seconds()}
    if frozen is not None:
        body["frozen"] = frozen
    _show(_call("POST", url, token, body))
