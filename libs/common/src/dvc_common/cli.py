"""`dvc`: the operator's command line (migrations, dead letters, outbox backlog, event docs)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer
from faststream.rabbit import RabbitBroker
from sqlalchemy.ext.asyncio import create_async_engine

from dvc_common import deadletters, docs, relay
from dvc_common.cli_audit import audit_app
from dvc_common.cli_clock import clock_app
from dvc_common.cli_sync import sync_app
from dvc_common.db import create_database
from dvc_common.events import CATALOG_VERSION, compat
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
app.add_typer(clock_app, name="clock")

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


RELEASE = Path("docs/catalog-release.json")
CHANGELOG = Path("docs/events-changelog.md")
ReleasePath = Annotated[Path, typer.Option(help="the last released catalog snapshot")]
ChangelogPath = Annotated[Path, typer.Option(help="the changelog that must describe the version")]


def _compat_problems(release: Path, changelog: Path) -> tuple[list[str], compat.Verdict | None]:
    problems: list[str] = []
    if not changelog.is_file() or not compat.changelog_has(
        changelog.read_text(encoding="utf-8"), CATALOG_VERSION
    ):
        problems.append(f"{changelog} has no section '## {CATALOG_VERSION}'")
    if not release.is_file():
        return problems, None
    released = json.loads(release.read_text(encoding="utf-8"))
    verdict = compat.compare(released, compat.snapshot())
    return problems + verdict.breaking, verdict


@events_app.command("check-compat")
def events_check_compat(release: ReleasePath = RELEASE, changelog: ChangelogPath = CHANGELOG) -> None:
    """Compare the catalog with the last release; fail on a breaking change inside a major version."""
    problems, verdict = _compat_problems(release, changelog)
    for line in verdict.additions if verdict else []:
        typer.echo(f"addition: {line}")
    for line in problems:
        typer.echo(f"BREAKING: {line}", err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"catalog {CATALOG_VERSION} is compatible with {release}")


@events_app.command("release")
def events_release(release: ReleasePath = RELEASE, changelog: ChangelogPath = CHANGELOG) -> None:
    """Record the current catalog as released (after check-compat passes); commit the snapshot."""
    problems, _ = _compat_problems(release, changelog)
    if problems:
        for line in problems:
            typer.echo(f"BREAKING: {line}", err=True)
        raise typer.Exit(1)
    release.parent.mkdir(parents=True, exist_ok=True)
    release.write_text(compat.snapshot_json(compat.snapshot()), encoding="utf-8")
    typer.echo(f"released catalog {CATALOG_VERSION} to {release}")


def _add_plugins() -> None:
    """Commands other installed packages contribute (the dev-only `dvc dev` comes from dvc-devkit)."""
    for point in entry_points(group="dvc.cli"):
        app.add_typer(point.load(), name=point.name)


_add_plugins()


def main() -> None:
    app()
