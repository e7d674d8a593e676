"""Generate the integrators' documentation (Markdown and AsyncAPI 3.0) from the event catalog."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from dvc_common.events import CATALOG, CONTENT_TYPE, PUBLIC_EXCHANGE, CloudEvent, EventType


def example_envelope(event: EventType[Any]) -> CloudEvent:
    subject = str(getattr(event.example, "code", "example"))
    return CloudEvent(
        id=uuid.uuid5(uuid.NAMESPACE_URL, event.ce_type),
        type=event.ce_type,
        source="dvc-" + ("workflow" if event.aggregate == "procedure" else "intake"),
        subject=subject,
        time=datetime.fromisoformat("2026-02-23T08:15:00+07:00"),
        data=event.example.model_dump(mode="json"),
        sequence=1,
        correlationid=subject,
        traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    )


def events_markdown() -> str:
    lines = [
        "# Event catalog",
        "",
        "Generated from `libs/common/src/dvc_common/events/catalog.py` by `dvc events docs`; do not edit.",
        "",
        "Every message is a CloudEvents 1.0 JSON document (`content-type: application/cloudevents+json`)",
        "with the extensions `sequence` (strictly increasing per `source` and `subject`, to order and",
        "detect gaps), `correlationid` and `traceparent`. The routing key is `<aggregate>.<event>.v<major>`",
        "and the CloudEvents `type` is `vn.dvc.<routing key>`. Integrators bind their own queues to the",
        f"topic exchange `{PUBLIC_EXCHANGE}` with patterns such as `dossier.#`. Events on `dvc.internal`",
        "carry personal data and are for the system's own services only.",
        "",
        "| routing key | exchange | summary |",
        "|---|---|---|",
    ]
    lines += [f"| `{e.routing_key}` | `{e.exchange}` | {e.summary} |" for e in CATALOG]
    for event in CATALOG:
        schema = event.payload.model_json_schema()
        lines += ["", f"## `{event.routing_key}`", "", event.summary, "", "| field | type | description |"]
        lines += ["|---|---|---|"]
        for name, prop in schema.get("properties", {}).items():
            kind = prop.get("type") or " | ".join(
                str(p.get("type", p.get("$ref", "object"))) for p in prop.get("anyOf", [])
            )
            lines.append(f"| `{name}` | {kind or 'object'} | {prop.get('description', '')} |")
        example = example_envelope(event).model_dump_json(indent=2)
        lines += ["", "Example:", "", "```json", example, "```"]
    return "\n".join(lines) + "\n"


def asyncapi_json() -> str:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for event in CATALOG:
        key = event.routing_key.replace(".", "_")
        schemas[event.payload.__name__] = event.payload.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for name, sub in schemas[event.payload.__name__].pop("$defs", {}).items():
            schemas[name] = sub
        messages[key] = {
            "name": event.ce_type,
            "title": event.routing_key,
            "summary": event.summary,
            "contentType": CONTENT_TYPE,
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/CloudEvent"},
                    {
                        "type": "object",
                        "properties": {"data": {"$ref": f"#/components/schemas/{event.payload.__name__}"}},
                    },
                ]
            },
            "examples": [{"payload": json.loads(example_envelope(event).model_dump_json())}],
        }
        channels[key] = {
            "address": event.routing_key,
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
            "bindings": {"amqp": {"is": "routingKey", "exchange": {"name": event.exchange, "type": "topic"}}},
        }
        operations[f"publish_{key}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
        }
    envelope = CloudEvent.model_json_schema()
    envelope.pop("title", None)
    schemas["CloudEvent"] = envelope
    document = {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Hệ thống một cửa điện tử cấp tỉnh — sự kiện",
            "version": "1.0.0",
            "description": "Events published by the provincial one-stop system (CloudEvents 1.0 over AMQP 0-9-1).",
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {"rabbitmq": {"host": "rabbitmq:5672", "protocol": "amqp", "protocolVersion": "0.9.1"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
