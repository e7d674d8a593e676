"""`dvc dev up`: the whole system on this machine (added to the `dvc` CLI through the `dvc.cli` entry point)."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Annotated

import typer

from dvc_devkit import devstack

dev_app = typer.Typer(help="Run the whole system on this machine.", no_args_is_help=True)


@dev_app.command("up")
def dev_up(var_dir: Annotated[Path, typer.Option(help="logs, mail and blobs")] = Path("var")) -> None:
    """Check PostgreSQL and RabbitMQ, migrate, start every service and the sandbox; Ctrl-C stops all."""
    typer.echo(devstack.ensure_postgres())
    typer.echo(devstack.ensure_rabbitmq())
    stack = devstack.Stack(devstack.StackConfig(var_dir=var_dir), echo=True)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the stack as cleanly as Ctrl-C
    try:
        stack.up()
        lines = [
            f"  {name:<14} {stack.url(name)}  (API docs: {stack.url(name)}/docs)"
            for name in stack.config.services
        ]
        lines.append(
            f"  {'sandbox':<14} {stack.url('sandbox')}  (national portal: /national-portal, mail: /mail)"
        )
        lines.append(
            f"  {'smtp sink':<14} 127.0.0.1:{stack.config.smtp_port}  (messages in {var_dir / 'mail'})"
        )
        lines.append(f"  {'logs':<14} {var_dir / 'log'}")
        typer.echo("\nThe stack is up:\n" + "\n".join(lines) + "\nPress Ctrl-C to stop everything.\n")
        while all(p.alive for p in stack.processes.values()):
            time.sleep(1)
        dead = [name for name, p in stack.processes.items() if not p.alive]
        typer.echo(f"stopping: {', '.join(dead)} exited (see {var_dir / 'log'})", err=True)
        raise typer.Exit(1)
    except KeyboardInterrupt:
        typer.echo("\nstopping…")
    finally:
        stack.down()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
