"""Catalog evolution: a snapshot of the released catalog and the check that refuses breaking changes.

A reader (an integrator, or one of our consumers) relies on each field it knows keeping its name,
its type and the values it may take, and on the history feed replaying old events that its model
must still parse. So inside an event type (its routing key carries the major version):
- a field must not disappear, change type or format, or lose enum values;
- a new field must be optional, and an optional field must not become required (old events in the
  history do not have it);
- new optional fields and new enum values are additions (tolerant readers ignore what they do not
  know), and so are new event types.
Integrators see a public event's projection (`events/public.py`), compared by the same rules: a
field withheld from the projection is a field removed for them. Retiring an event type (or making
it internal), withholding a field from a public projection or changing the public envelope needs a
new major catalog version; every change needs a version above the released one and a changelog entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dvc_common.events.base import EventType
from dvc_common.events.envelope import PublicEvent
from dvc_common.events.public import PUBLIC_VIEWS
from dvc_common.events.registry import CATALOG, CATALOG_VERSION

Schema = Mapping[str, Any]


def snapshot(version: str = CATALOG_VERSION, catalog: Iterable[EventType[Any]] = CATALOG) -> dict[str, Any]:
    """What a release records: the version, the public envelope, every event type's payload schema
    and, for a public one, the schema of its public projection (None: it has none, nothing is shown)."""
    return {
        "version": version,
        "envelope": PublicEvent.model_json_schema(),
        "events": {event.routing_key: _entry(event) for event in catalog},
    }


def _entry(event: EventType[Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"audience": event.audience.value, "schema": event.payload.model_json_schema()}
    if event.public:
        view = PUBLIC_VIEWS.get(event.routing_key)
        entry["public_schema"] = None if view is None else view.model_json_schema()
    return entry


def _public_schema(entry: Mapping[str, Any]) -> Schema:
    """What integrators read of an event; releases before 3.0.0 showed them the whole payload."""
    schema = entry["public_schema"] if "public_schema" in entry else entry["schema"]
    return schema or {"type": "object"}


def snapshot_json(snap: Mapping[str, Any]) -> str:
    return json.dumps(snap, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@dataclass
class Verdict:
    """Breaking changes (each fails the check) and additions, as readable lines."""

    breaking: list[str] = field(default_factory=list)
    additions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaking


def compare(released: Mapping[str, Any], current: Mapping[str, Any]) -> Verdict:
    verdict = Verdict()
    old_version, new_version = _version(released["version"]), _version(current["version"])
    new_major = new_version[0] > old_version[0]
    retirements: list[str] = []
    old_events, new_events = released["events"], current["events"]
    for key, old in old_events.items():
        new = new_events.get(key)
        if new is None:
            retirements.append(f"{key}: event type removed")
            continue
        if old["audience"] == "public" and new["audience"] != "public":
            retirements.append(f"{key}: no longer public")
        elif old["audience"] != new["audience"]:
            verdict.additions.append(f"{key}: now public")
        changes = _Changes(key)
        changes.value("", _shape(old["schema"], old["schema"]), _shape(new["schema"], new["schema"]))
        verdict.breaking += changes.breaking
        verdict.additions += changes.additions
        if old["audience"] == new["audience"] == "public":
            # Our consumers read the payload (above); integrators read the projection.
            shown, showing = _public_schema(old), _public_schema(new)
            public = _Changes(f"{key} on dvc.events")
            public.value("", _shape(shown, shown), _shape(showing, showing))
            retirements += public.breaking
            verdict.additions += public.additions
    verdict.additions += [f"{key}: new event type" for key in new_events if key not in old_events]
    envelope = _Changes("envelope")
    envelope.value(
        "",
        _shape(released["envelope"], released["envelope"]),
        _shape(current["envelope"], current["envelope"]),
    )
    verdict.additions += envelope.additions
    if new_major:
        verdict.additions += [
            f"{line} (new major version {current['version']})" for line in retirements + envelope.breaking
        ]
    else:
        verdict.breaking += retirements + envelope.breaking
    changed = bool(verdict.breaking or verdict.additions)
    if new_version < old_version:
        verdict.breaking.append(
            f"version {current['version']} is older than the release {released['version']}"
        )
    elif changed and new_version == old_version:
        verdict.breaking.append(
            f"the catalog changed since release {released['version']}: bump CATALOG_VERSION "
            "(minor for additions) and add its entry to docs/events-changelog.md"
        )
    return verdict


def changelog_has(changelog: str, version: str) -> bool:
    """Whether docs/events-changelog.md has a section for `version` (a heading `## <version>`)."""
    return any(line.strip().split(" ")[:2] == ["##", version] for line in changelog.splitlines())


def _version(text: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


@dataclass(frozen=True)
class _Shape:
    """What a reader relies on for one value of a schema."""

    types: frozenset[str]
    enum: frozenset[Any] | None = None
    format: str | None = None
    properties: Mapping[str, _Shape] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: _Shape | None = None


def _shape(schema: Schema, root: Schema) -> _Shape:
    """Resolve references and unions (`X | None` is anyOf) into one shape."""
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return _shape(root.get("$defs", {})[name], root)
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        return _union([_shape(branch, root) for branch in branches])
    types = schema.get("type", "object" if "properties" in schema else "any")
    enum = schema.get("enum")
    if "const" in schema:
        enum = [schema["const"]]
    properties = {name: _shape(sub, root) for name, sub in schema.get("properties", {}).items()}
    items = schema.get("items")
    return _Shape(
        types=frozenset([types] if isinstance(types, str) else types),
        enum=None if enum is None else frozenset(_hashable(v) for v in enum),
        format=schema.get("format"),
        properties=properties,
        required=frozenset(schema.get("required", ())),
        items=None if items is None else _shape(items, root),
    )


def _union(shapes: list[_Shape]) -> _Shape:
    valued = [s for s in shapes if s.types != {"null"}]
    enums = [s.enum for s in valued]
    objects = [s for s in valued if s.properties]
    arrays = [s.items for s in valued if s.items is not None]
    formats = {s.format for s in valued}
    return _Shape(
        types=frozenset().union(*(s.types for s in shapes)),
        enum=None
        if not valued or any(e is None for e in enums)
        else frozenset().union(*(e for e in enums if e)),
        format=formats.pop() if len(formats) == 1 else None,
        properties=objects[0].properties if len(objects) == 1 else {},
        required=objects[0].required if len(objects) == 1 else frozenset(),
        items=arrays[0] if len(arrays) == 1 else None,
    )


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


class _Changes:
    def __init__(self, key: str) -> None:
        self.key = key
        self.breaking: list[str] = []
        self.additions: list[str] = []

    def _where(self, path: str) -> str:
        return f"{self.key}: {path or 'payload'}"

    def value(self, path: str, old: _Shape, new: _Shape) -> None:
        if old.types != new.types:
            self.breaking.append(f"{self._where(path)} changed type {_types(old)} → {_types(new)}")
            return
        if old.format != new.format:
            self.breaking.append(f"{self._where(path)} changed format {old.format} → {new.format}")
        self._enum(path, old, new)
        self._fields(path, old, new)
        if old.items is not None and new.items is not None:
            self.value(f"{path}[]", old.items, new.items)

    def _enum(self, path: str, old: _Shape, new: _Shape) -> None:
        if new.enum is None:
            if old.enum is not None:
                self.additions.append(f"{self._where(path)} takes any value now")
            return
        if old.enum is None:
            self.breaking.append(f"{self._where(path)} narrowed to the values {_values(new.enum)}")
            return
        if old.enum - new.enum:
            self.breaking.append(f"{self._where(path)} narrowed: {_values(old.enum - new.enum)} removed")
        if new.enum - old.enum:
            self.additions.append(f"{self._where(path)} may also be {_values(new.enum - old.enum)}")

    def _fields(self, path: str, old: _Shape, new: _Shape) -> None:
        prefix = f"{path}." if path else ""
        for name, old_field in old.properties.items():
            where = f"{prefix}{name}"
            if name not in new.properties:
                self.breaking.append(f"{self._where(where)} removed")
                continue
            if name in new.required and name not in old.required:
                self.breaking.append(f"{self._where(where)} became required")
            self.value(where, old_field, new.properties[name])
        for name in new.properties.keys() - old.properties.keys():
            where = f"{prefix}{name}"
            if name in new.required:
                self.breaking.append(f"{self._where(where)} is a new required field")
            else:
                self.additions.append(f"{self._where(where)} is a new optional field")


def _types(shape: _Shape) -> str:
    return "|".join(sorted(shape.types))


def _values(values: frozenset[Any]) -> str:
    return ", ".join(sorted(repr(v) for v in values))
