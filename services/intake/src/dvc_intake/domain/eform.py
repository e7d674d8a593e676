"""The e-form (tờ khai điện tử) of a procedure, validated against its JSON Schema (Draft 2020-12), with
one Vietnamese message per violated field, named by the field's title in the schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

_TYPES = {
    "string": "chuỗi ký tự",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "đúng/sai",
    "object": "nhóm thông tin",
    "array": "danh sách",
    "null": "để trống",
}
_FORMATS = {
    "date": "ngày theo dạng YYYY-MM-DD",
    "date-time": "thời điểm theo dạng ISO 8601",
    "email": "địa chỉ thư điện tử",
    "time": "giờ theo dạng HH:MM:SS",
}


def _types(value: Any) -> str:
    names = value if isinstance(value, list) else [value]
    return " hoặc ".join(_TYPES.get(str(n), str(n)) for n in names)


def _choices(values: Any) -> str:
    return ", ".join(f"«{v}»" for v in values)


# Keyword → message about the field (the field's title is prepended by `eform_errors`).
_MESSAGES: dict[str, Callable[[ValidationError], str]] = {
    "type": lambda e: f"phải là {_types(e.validator_value)}",
    "enum": lambda e: f"phải là một trong các giá trị {_choices(e.validator_value)}",
    "const": lambda e: f"phải là «{e.validator_value}»",
    "format": lambda e: f"phải là {_FORMATS.get(str(e.validator_value), str(e.validator_value))}",
    "pattern": lambda e: "không đúng định dạng quy định",
    "minLength": lambda e: f"phải có ít nhất {e.validator_value} ký tự",
    "maxLength": lambda e: f"không được quá {e.validator_value} ký tự",
    "minimum": lambda e: f"không được nhỏ hơn {e.validator_value}",
    "maximum": lambda e: f"không được lớn hơn {e.validator_value}",
    "exclusiveMinimum": lambda e: f"phải lớn hơn {e.validator_value}",
    "exclusiveMaximum": lambda e: f"phải nhỏ hơn {e.validator_value}",
    "minItems": lambda e: f"phải có ít nhất {e.validator_value} mục",
    "maxItems": lambda e: f"không được quá {e.validator_value} mục",
    "uniqueItems": lambda e: "không được có mục trùng nhau",
    "multipleOf": lambda e: f"phải là bội số của {e.validator_value}",
}


def _title(schema: dict[str, Any], path: list[str | int]) -> str | None:
    """The schema's title of the field at `path` (properties / items walked), if it has one."""
    node: Any = schema
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
    return node.get("title") if isinstance(node, dict) else None


def _field(path: list[str | int]) -> str:
    return "eform" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _error(schema: dict[str, Any], e: ValidationError) -> dict[str, str]:
    path: list[str | int] = list(e.absolute_path)
    if e.validator == "required":
        missing = next((name for name in e.validator_value if name not in (e.instance or {})), "")
        path = [*path, missing]
        return {"field": _field(path), "message": f"Mục «{_title(schema, path) or missing}» là bắt buộc"}
    if e.validator == "additionalProperties":
        known = set(e.schema.get("properties", {}))
        extra = sorted(str(k) for k in (e.instance or {}) if k not in known)
        return {"field": _field(path), "message": "Tờ khai có mục không thuộc mẫu: " + _choices(extra)}
    label = _title(schema, path) or (str(path[-1]) if path else "Tờ khai")
    describe = _MESSAGES.get(str(e.validator))
    message = describe(e) if describe else "không hợp lệ"
    return {"field": _field(path), "message": f"Mục «{label}» {message}"}


def eform_errors(schema: dict[str, Any], eform: dict[str, Any] | None) -> list[dict[str, str]]:
    """Every violation as {field, message} in Vietnamese; empty when the e-form is valid."""
    if eform is None:
        title = schema.get("title") or "tờ khai điện tử"
        return [{"field": "eform", "message": f"Chưa khai {title} (tờ khai điện tử của thủ tục)"}]
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    found = sorted(validator.iter_errors(eform), key=lambda e: list(map(str, e.absolute_path)))
    return [_error(schema, e) for e in found]
