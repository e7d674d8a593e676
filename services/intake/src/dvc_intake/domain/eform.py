"""The e-form (tờ khai điện tử) of a procedure, validated against its JSON Schema (2020-12)."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator


def eform_errors(schema: dict[str, Any], eform: dict[str, Any] | None) -> list[dict[str, str]]:
    """Every violation as {field, message}; empty when the e-form is valid."""
    if eform is None:
        return [{"field": "eform", "message": "Thiếu tờ khai điện tử"}]
    validator = Draft202012Validator(schema)
    return [
        {
            "field": "eform"
            + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path),
            "message": e.message,
        }
        for e in sorted(validator.iter_errors(eform), key=lambda e: list(map(str, e.absolute_path)))
    ]
