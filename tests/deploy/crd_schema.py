"""Validate custom resources against the CRD schemas vendored in deploy/schemas/crds (see its README).

A CRD's openAPIV3Schema is JSON Schema with Kubernetes extensions. The API server prunes unknown
fields silently unless field validation is strict; here every field a manifest sets must be
declared (except under x-kubernetes-preserve-unknown-fields), so a typo fails instead of vanishing.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

CRDS = Path(__file__).resolve().parents[2] / "deploy" / "schemas" / "crds"


@cache
def schemas() -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for path in sorted(CRDS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        found[(document["apiVersion"], document["kind"])] = document
    return found


def _unknown_fields(value: Any, schema: dict[str, Any], path: str) -> list[str]:
    if schema.get("x-kubernetes-preserve-unknown-fields"):
        return []
    problems = []
    if isinstance(value, dict):
        properties = schema.get("properties")
        additional = schema.get("additionalProperties")
        for key, item in value.items():
            if properties is not None and key in properties:
                problems += _unknown_fields(item, properties[key], f"{path}.{key}")
            elif isinstance(additional, dict):
                problems += _unknown_fields(item, additional, f"{path}.{key}")
            elif properties is not None and additional is not True:
                problems.append(f"{path}.{key}: not in the schema")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            problems += _unknown_fields(item, schema["items"], f"{path}[{index}]")
    return problems


def problems(resource: dict[str, Any]) -> list[str]:
    """Schema violations and undeclared fields (under spec/data; metadata is the API server's) of one resource."""
    key = (resource["apiVersion"], resource["kind"])
    if key not in schemas():
        return [f"no vendored schema for {key}"]
    schema = schemas()[key]["schema"]
    body = resource
    found = [
        f"{'.'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in jsonschema.Draft7Validator(schema).iter_errors(body)
    ]
    spec_schema = schema.get("properties", {})
    for top in ("spec", "data"):
        if top in body and top in spec_schema:
            found += _unknown_fields(body[top], spec_schema[top], top)
    return found
