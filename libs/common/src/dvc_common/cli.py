"""`dvc`: the operator's command line (migrations, dead letters, outbox backlog, event docs)."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from faststream.rabbit import RabbitBroker
from sqlalchemy.ext.asyncio import create_async_engine

from dvc_common import deadletters, docs, relay
from dvc_common.cli_audit import audit_app
from dvc_common.cli_sync import sync_app
from dvc_common.db import create_database
from dvc_common.migrations import upgrade
from dvc_common.registry import ServiceEntry, discover
from dvc_common.settings import DEV_AMQP_URL, ServiceSettings
from dvc_common.topology import QueueSpec, declare_topology

app = typer.Typer(help="Quản trị hệ thống một cửa điện tử (DVC) — operator tools.", no_args_is_help=True)
dlq_app = typer.Typer(help="Dead-letter queues: list and replay.", no_args_is_help=True)
outbox_app = typer.Typer(help="Outbox backlog per service.", no_args_is_help=True)
events_app = typer.Typer(help="The public event catalog.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")
app.add_typer(outbox_app, name="outbox")
app.add_typer(events_app, name="events")
app.add_typer(sync_app, name="sync")
app.add_typer(audit_app, name="audit")

AmqpUrl = Annotated[str, typer.Option(envvar="DVC_AMQP_URL", help="AMQP URL of the broker")]


def _select(names: list[str] | None) -> list[ServiceEntry]:
    services = discover()
    if not names:
        return list(services.values())
    unknown = sorted(set(names) - set(services))
    if unknown:
        raise typer.BadParameter(f"unknown service(s): {', '.join(unknown)}; known: {', '.join(services)}")
    return [services[name] for name in names]


@app.command()
def migrate(
    names: Annotated[list[str] | None, typer.Argument(help="services; all when omitted")] = None,
) -> None:
    """Create each service's database if missing and apply its migrations."""
    for entry in _select(names):
        settings = entry.settings()
        url = settings.database_url.get_secret_value()
        created = asyncio.run(create_database(url))
        upgrade(entry.migrations, url)
        asyncio.run(_declare_queues(settings, entry.queues))
        typer.echo(
            f"{entry.name}: database {'created and ' if created else ''}migrated, {len(entry.queues)} queue(s) declared"
        )


async def _declare_queues(settings: ServiceSettings, specs: tuple[QueueSpec, ...]) -> None:
    broker = RabbitBroker(settings.amqp_url.get_secret_value(), logger=None)
    await broker.connect()
    try:
        await declare_topology(broker, specs)
    finally:
        await broker.stop()


@dlq_app.command("list")
def dlq_list(queue: str, amqp_url: AmqpUrl = DEV_AMQP_URL, limit: int = 20) -> None:
    """Show dead letters of QUEUE (e.g. notify.dossier-status) without removing them."""
    for letter in asyncio.run(deadletters.list_dead_letters(amqp_url, queue, limit)):
        typer.echo(json.dumps(asdict(letter), ensure_ascii=False))


@dlq_app.command("replay")
def dlq_replay(queue: str, amqp_url: AmqpUrl = DEV_AMQP_URL, limit: int | None = None) -> None:
    """Move dead letters of QUEUE back into it for another round of attempts."""
    count = asyncio.run(deadletters.replay_dead_letters(amqp_url, queue, limit))
    typer.echo(f"{queue}: replayed {count} message(s)")


@outbox_app.command("backlog")
def outbox_backlog(names: Annotated[list[str] | None, typer.Argument()] = None) -> None:
    """Unpublished events and the age of the oldest, per service."""

    async def measure(entry: ServiceEntry) -> relay.Backlog:
        engine = create_async_engine(entry.settings().database_url.get_secret_value())
        try:
            async with engine.connect() as conn:
                return await relay.backlog(conn)
        finally:
            await engine.dispose()

    for entry in _select(names):
        current = asyncio.run(measure(entry))
        typer.echo(f"{entry.name}: {current.unsent} unsent, oldest {current.oldest_age_seconds:.1f}s")


@events_app.command("docs")
def events_docs(out: Annotated[Path, typer.Option(help="output folder")] = Path("docs")) -> None:
    """Write docs/events.md and docs/asyncapi.json from the catalog."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "events.md").write_text(docs.events_markdown(), encoding="utf-8")
    (out / "asyncapi.json").write_text(docs.asyncapi_json(), encoding="utf-8")
    typer.echo(f"wrote {out / 'events.md'} and {out / 'asyncapi.json'}")


dev_app = typer.Typer(help="Run the whole system on this machine.", no_args_is_help=True)
app.add_typer(dev_app, name="dev")


@dev_app.command("up")
def dev_up(var_dir: Annotated[Path, typer.Option(help="logs, mail and blobs")] = Path("var")) -> None:
    """Check PostgreSQL and RabbitMQ, migrate, start every service and the sandbox; Ctrl-C stops all."""
    from dvc_common import devstack

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


def main() -> None:
    app()
