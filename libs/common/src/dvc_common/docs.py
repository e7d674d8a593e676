"""Generate the integrators' documentation (Markdown and AsyncAPI 3.0) from the event catalog.

`dvc events docs --out docs` writes docs/events.md and docs/asyncapi.json; scripts/test.sh fails
when the committed files differ from what this module generates, so edit this, never the output.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from dvc_common.events import (
    CATALOG,
    CATALOG_VERSION,
    CONTENT_TYPE,
    INTERNAL_EXCHANGE,
    PUBLIC_EXCHANGE,
    CloudEvent,
    EventType,
    PublicEvent,
    project,
    public_payload,
    public_sequence,
)
from dvc_common.events.base import T0

# Where integrators connect (the deployment creates the vhost and the user; deploy/README.md).
VHOST = "dvc"
INTEGRATOR_USER = "integrator"
FEED_PATH = "/api/v1/events"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
# The field of each aggregate's example that is its subject (what the producers pass as `subject`).
SUBJECT_FIELDS = ("code", "dossier_code", "question_id", "officer_id", "agency_id", "national_reference")


def example_subject(event: EventType[Any]) -> str:
    for name in SUBJECT_FIELDS:
        value = getattr(event.example, name, None)
        if value:
            return str(value)
    return "example"


def example_envelope(event: EventType[Any], *, internal: bool = False) -> PublicEvent | CloudEvent:
    """The example as a reader sees it: public events as on dvc.events (their public projection),
    internal ones (or, with `internal`, any event) as on dvc.internal, with the whole payload."""
    subject = example_subject(event)
    fields: dict[str, Any] = {
        "id": uuid.uuid5(uuid.NAMESPACE_URL, event.ce_type),
        "type": event.ce_type,
        "source": event.source,
        "subject": subject,
        "time": T0,
        "data": event.example.model_dump(mode="json"),
        "correlationid": subject,
        "traceparent": TRACEPARENT,
    }
    if event.public and not internal:
        return PublicEvent(**fields | {"data": project(event, event.example)}, sequence=public_sequence(1))
    return CloudEvent(**fields, sequence=1)


INTEGRATOR_GUIDE = f"""
## For integrators

### Where to read

- RabbitMQ (AMQP 0-9-1), virtual host `{VHOST}`, topic exchange `{PUBLIC_EXCHANGE}`. Bind your own durable
  queue with patterns such as `dossier.#`; the routing key is `<aggregate>.<event>.v<major>` and the
  CloudEvents `type` is `vn.dvc.<routing key>`.
- You get the user `{INTEGRATOR_USER}` (never `guest`, whose rights cover `{INTERNAL_EXCHANGE}` with its
  personal data). Its permissions in the vhost: configure and write `^{INTEGRATOR_USER}\\..+$` (declare,
  bind and delete queues named `{INTEGRATOR_USER}.<anything>`; name your queue, server-named ones are
  refused), read `^(dvc\\.events|{INTEGRATOR_USER}\\..+)$` (consume your
  queues, bind them to `{PUBLIC_EXCHANGE}`). It cannot read `{INTERNAL_EXCHANGE}` nor publish anywhere (so
  bind to `{PUBLIC_EXCHANGE}` without declaring it: it exists). A second integrator gets a user of its own
  with its own queue prefix.
- The history feed: `GET {FEED_PATH}` on the event-log service (port 8009; the deployment publishes it
  to integrators), with your API key in the header `X-API-Key`. An integrator is a system, not a
  person, so it gets an API key rather than an identity token: identity signs in citizens (VNeID) and
  officers, whose accounts are locked, moved and rotated as people are; a key per integrator is
  issued once (`dvc-event-log new-key NAME`), kept only as its SHA-256 digest in the event-log's
  settings (`DVC_EVENT_LOG_INTEGRATOR_KEYS`, two digests while rotating) and revoked by removing it.

### The envelope

Every message is a CloudEvents 1.0 JSON document (structured mode, `content-type: {CONTENT_TYPE}`),
parseable by the official CloudEvents SDKs. Besides the required attributes it has `subject` (the
dossier code, or the id of the aggregate the event is about), `time` (RFC 3339 with offset) and the
extensions `sequence`, `correlationid` (the dossier code or the request that caused the event) and
`traceparent` (W3C trace context). `source` is the service that produced the event (`dvc-intake`,
`dvc-workflow`, `dvc-payments`, `dvc-notify`, `dvc-qa`, `dvc-identity`). The feed serves the same envelope: the
same `id`, `sequence` and `data`.

### Order and gaps

`sequence` follows the CloudEvents sequence extension: a string that orders lexicographically, here
the decimal position of the event in its **stream**, zero-padded to 20 digits (`00000000000000000001`).
A stream is one subject of one aggregate: all public events about one dossier (`dossier.*`, and the
`payment.*` and `notification.*` events whose subject is the dossier code), whichever service produced
them, form one stream; a question's, a procedure's and an agency's events form theirs
(the table below names each type's stream). Within a stream the positions are 1, 2, 3 … in the
order the system recorded the events (each producer's events in that producer's order), with no
gaps: the first public event of a dossier has sequence 1, and an internal event never takes a number.

Rule for a consumer: keep, per stream and subject, the last position applied. For an event at
position `p`: `p <= last` is a duplicate (skip it; redeliveries happen); `p == last + 1` is next
(apply it, `last = p`); `p > last + 1` means positions `last + 1 … p - 1` are missing: fetch them
from the feed (`GET {FEED_PATH}?subject=<subject>`) and apply them first, in order. The rule holds for
a queue bound to every event type of the stream (`dossier.#`, `payment.#`, `notification.#` for
dossiers); with a narrower binding a "gap" may be an event you did not subscribe to (the feed shows it).

### The history feed (changes since)

`GET {FEED_PATH}?after=<cursor>&type=<CloudEvents type>&subject=<subject>&limit=<1–500>` returns
`{{"events": [...], "next": "<cursor>", "has_more": true|false}}`, events in the order they were
recorded. `after` is the `next` of the previous page (omit it, or `0`, to start from the oldest
event kept); `type` may be repeated; both filters are optional. While `has_more` is true, ask again
at once with `next`; when it is false, `next` is the current end of the feed (filtered or not), so
keep polling with it. Answers:
200; 401 without a valid key; 410 when the cursor is older than the retention (events were purged:
resynchronise from the oldest kept); 422 for a malformed cursor, an unknown or internal type, or a
`limit` out of range. Errors are RFC 9457 problem documents in Vietnamese.
History is kept for a configurable retention (default 6 months, `DVC_EVENT_LOG_HISTORY_RETENTION_DAYS`).

Snapshot, then follow (the first connection, or after an outage longer than your queue kept):
1. declare your durable queue `{INTEGRATOR_USER}.<name>` and bind it to `{PUBLIC_EXCHANGE}` first, so nothing
   published from now on is lost;
2. read the feed from `after=0` (or your saved cursor) until `has_more` is false, applying events by
   the rule above; save `next`;
3. consume your queue; events the feed already gave you come again: deduplicate by `id` (or by the
   position rule).

Why a feed and not RabbitMQ streams: a stream would replay what the broker kept, but only to AMQP
clients, without filtering by dossier, and with offsets that mean nothing outside one stream; the
order across services must be assigned by one party anyway. The event-log service assigns it and
keeps the history in PostgreSQL (backed up and restored with the rest), so the feed filters by
subject and type, pages by a stable cursor and works over plain HTTPS for integrators without
broker access. A stream fed by the same event-log could be added later without changing the envelope.

### No personal data

A public event shows integrators its **public projection**: the fields listed for it on
`{PUBLIC_EXCHANGE}` below, a subset of the payload our own services read on `{INTERNAL_EXCHANGE}`. It
carries codes (dossier, procedure, agency, payment), statuses, times, counts and amounts, never
personal data or an identifier that links one person's dossiers (Nghị định 13/2023): no names,
identification numbers, phone numbers, e-mail or postal addresses, file names or document hashes,
no applicant or payer subjects, no officers' names, positions or ids, no free text typed by an
officer or an applicant (notes, reasons, supplement items). Officer accounts (`officer.*`) are
internal. A field added to a payload stays internal until it is added to the projection (in
`libs/common/src/dvc_common/events/public.py`, where a test refuses a projection field whose name
or description suggests personal data).

### Evolution

Readers must be tolerant: ignore fields they do not know, and accept enum values they do not know.
Inside a major version (`.v1`) producers only add optional fields and new enum values; a field is
never removed, renamed, retyped or made required (the feed replays old events that lack it). A
breaking change gets a new routing key (`.v2`) published beside the old one. The catalog version
(`{CATALOG_VERSION}`, also `info.version` of asyncapi.json) rises by a minor for additions; what
changed is in [events-changelog.md](events-changelog.md). CI compares the catalog with the last
release (`docs/catalog-release.json`, `dvc events check-compat`) and fails on a breaking change.
"""


def events_markdown() -> str:
    lines = [
        f"# Event catalog {CATALOG_VERSION}",
        "",
        "Generated from `libs/common/src/dvc_common/events/` by `dvc events docs`; do not edit.",
        *INTEGRATOR_GUIDE.splitlines(),
        "",
        "## Event types",
        "",
        f"Public events reach integrators on `{PUBLIC_EXCHANGE}`; internal ones carry personal data and stay",
        f"on `{INTERNAL_EXCHANGE}`, for the system's own services (which read every event there, with the",
        "producer's own per-source counter as an integer `sequence`).",
        "",
        "| routing key | audience | source | stream | summary |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{e.routing_key}` | {e.audience.value} | `{e.source}` | {e.stream if e.public else '—'} | {e.summary} |"
        for e in CATALOG
    ]
    for event in CATALOG:
        lines += _event_section(event)
    return "\n".join(lines) + "\n"


def _event_section(event: EventType[Any]) -> list[str]:
    where = f"`{PUBLIC_EXCHANGE}`, stream {event.stream}" if event.public else f"`{INTERNAL_EXCHANGE}` only"
    lines = ["", f"## `{event.routing_key}`", "", event.summary, ""]
    lines += [f"Produced by `{event.source}`; {event.audience.value} ({where}).", ""]
    if event.public:
        lines += [f"On `{PUBLIC_EXCHANGE}` and in the feed (the public projection):", ""]
        lines += _fields_table(public_payload(event).model_json_schema())
        lines += ["", f"On `{INTERNAL_EXCHANGE}` (our own services), the whole payload:", ""]
    lines += _fields_table(event.payload.model_json_schema())
    example = example_envelope(event).model_dump_json(indent=2)
    return [*lines, "", "Example:", "", "```json", example, "```"]


def _fields_table(schema: dict[str, Any]) -> list[str]:
    lines = ["| field | type | description |", "|---|---|---|"]
    for name, prop in schema.get("properties", {}).items():
        kind = prop.get("type") or " | ".join(
            str(p.get("type", p.get("$ref", "object"))) for p in prop.get("anyOf", [])
        )
        lines.append(f"| `{name}` | {kind or 'object'} | {prop.get('description', '')} |")
    return lines


def _message(event: EventType[Any], schema: str, *, public: bool) -> dict[str, Any]:
    envelope = "PublicEvent" if public else "CloudEvent"
    example = example_envelope(event, internal=not public)
    return {
        "name": event.ce_type,
        "title": event.routing_key,
        "summary": event.summary
        if public or not event.public
        else f"{event.summary} (whole payload, internal)",
        "contentType": CONTENT_TYPE,
        "payload": {
            "allOf": [
                {"$ref": f"#/components/schemas/{envelope}"},
                {"type": "object", "properties": {"data": {"$ref": f"#/components/schemas/{schema}"}}},
            ]
        },
        "examples": [{"payload": json.loads(example.model_dump_json())}],
        "x-dvc-audience": event.audience.value if public or not event.public else "internal",
        "x-dvc-source": event.source,
        **({"x-dvc-sequence-stream": event.stream} if public else {}),
    }


def _channel(event: EventType[Any], name: str, exchange: str) -> dict[str, Any]:
    return {
        "address": event.routing_key,
        "messages": {name: {"$ref": f"#/components/messages/{name}"}},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {"name": exchange, "type": "topic", "vhost": f"/{VHOST}"},
            }
        },
    }


def asyncapi_json() -> str:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for event in CATALOG:
        key = event.routing_key.replace(".", "_")
        # A public event: its projection on dvc.events (`key`), its whole payload on dvc.internal
        # (`key__internal`); an internal event: its payload on dvc.internal (`key`).
        shapes = [(key, event.payload, False)]
        if event.public:
            shapes = [(key, public_payload(event), True), (f"{key}__internal", event.payload, False)]
        for name, model, public in shapes:
            schemas[model.__name__] = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for sub_name, sub in schemas[model.__name__].pop("$defs", {}).items():
                schemas[sub_name] = sub
            messages[name] = _message(event, model.__name__, public=public)
            channels[name] = _channel(event, name, PUBLIC_EXCHANGE if public else INTERNAL_EXCHANGE)
            operations[f"publish_{name}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{name}"},
                "messages": [{"$ref": f"#/channels/{name}/messages/{name}"}],
            }
    for model in (PublicEvent, CloudEvent):
        envelope_schema = model.model_json_schema()
        envelope_schema.pop("title", None)
        schemas[model.__name__] = envelope_schema
    document = {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Hệ thống một cửa điện tử cấp tỉnh — sự kiện",
            "version": CATALOG_VERSION,
            "description": (
                "Events of the provincial one-stop system (CloudEvents 1.0 over AMQP 0-9-1). Integrators read "
                f"the public ones on {PUBLIC_EXCHANGE} (envelope PublicEvent, with the per-stream sequence) and "
                f"replay them from the event-log's {FEED_PATH}; internal ones stay on {INTERNAL_EXCHANGE}. "
                "Readers ignore unknown fields; see docs/events.md and docs/events-changelog.md."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "rabbitmq": {
                "host": "rabbitmq:5672",
                "pathname": f"/{VHOST}",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
