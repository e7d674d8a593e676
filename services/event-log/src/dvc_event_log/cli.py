"""`dvc-event-log`: the operator's tools for integrator credentials."""

from __future__ import annotations

import typer

from dvc_event_log.domain.credentials import digest, new_key

app = typer.Typer(
    help="Nhật ký sự kiện (event-log): khóa truy cập của đơn vị tích hợp.", no_args_is_help=True
)


@app.command("new-key")
def make_key(integrator: str) -> None:
    """Print a new API key (give it to the integrator, once) and the digest to add to the settings."""
    key = new_key()
    typer.echo(f"key (give to {integrator}, shown once): {key}")
    typer.echo(f'settings: DVC_EVENT_LOG_INTEGRATOR_KEYS=\'{{"{integrator}": ["{digest(key)}"]}}\'')


@app.command("digest")
def key_digest(key: str) -> None:
    """The SHA-256 digest of an existing key (what DVC_EVENT_LOG_INTEGRATOR_KEYS holds)."""
    typer.echo(digest(key))


def main() -> None:
    app()
