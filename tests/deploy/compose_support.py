"""Reading the compose files and RabbitMQ definitions the way Compose does, for the compose tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]


class ComposeLoader(yaml.SafeLoader):
    """YAML with Compose's merge tags: `!reset` (drop the inherited value) and `!override`."""


def _tagged(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """The value under the tag; for validation `!reset {}` is its empty value, `!override` its own."""
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


ComposeLoader.add_constructor("!reset", _tagged)
ComposeLoader.add_constructor("!override", _tagged)


def load_compose(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=ComposeLoader)
    return loaded


def rabbitmq_definitions() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (REPO / "deploy/compose/rabbitmq/definitions.json").read_text("utf-8")
    )
    return loaded
