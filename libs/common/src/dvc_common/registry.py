"""Services announce themselves to the `dvc` CLI through the `dvc.services` entry point group."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from dvc_common.settings import ServiceSettings
from dvc_common.topology import QueueSpec


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    settings: type[ServiceSettings]
    migrations: Path
    queues: tuple[QueueSpec, ...] = ()


def discover() -> dict[str, ServiceEntry]:
    found: dict[str, ServiceEntry] = {}
    for point in entry_points(group="dvc.services"):
        entry = point.load()
        if isinstance(entry, ServiceEntry):
            found[entry.name] = entry
    return dict(sorted(found.items()))
