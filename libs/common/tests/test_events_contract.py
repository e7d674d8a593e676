"""The event contract as readers see it: tolerant parsing, the transport, the generated documents."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from dvc_common import docs
from dvc_common.consumers import EventMeta, on
from dvc_common.events import (
    CATALOG,
    CATALOG_VERSION,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_SUBMITTED,
    INTERNAL_EXCHANGE,
    PAYMENT_COMPLETED,
    PUBLIC_CATALOG,
    CloudEvent,
    DossierSubmitted,
    PublicEvent,
    SubmittedFile,
    public_sequence,
)
from dvc_common.topology import QueueSpec

ROOT = Path(__file__).resolve().parents[3]


def _submitted_data(**extra: Any) -> dict[str, Any]:
    return DOSSIER_SUBMITTED.example.model_dump(mode="json") | extra


def test_a_reader_ignores_fields_its_catalog_does_not_know_at_every_level() -> None:
    data = _submitted_data(postcode="390000")
    data["files"] = [dict(data["files"][0], pages=3)]
    parsed = DOSSIER_SUBMITTED.parse(data)
    assert parsed == DOSSIER_SUBMITTED.example
    assert isinstance(parsed.files[0], SubmittedFile)


async def test_a_typed_consumer_route_accepts_an_event_from_a_newer_producer() -> None:
    async def handle(_session: Any, _meta: EventMeta, _payload: DossierSubmitted) -> None:
        return None

    event = CloudEvent(
        id=uuid4(),
        type=DOSSIER_SUBMITTED.ce_type,
        source="dvc-intake",
        subject="000.00.14.H56-260223-0001",
        time=datetime.now(UTC),
        data=_submitted_data(postcode="390000"),
        sequence=1,
        correlationid="c",
    )
    assert on(DOSSIER_SUBMITTED, handle).parse(event) == DOSSIER_SUBMITTED.example


def test_a_producer_still_cannot_send_an_undeclared_field() -> None:
    fields = DOSSIER_SUBMITTED.example.model_dump()
    with pytest.raises(ValidationError, match="postcode"):
        DossierSubmitted(**(fields | {"postcode": "390000"}))
    with pytest.raises(ValidationError, match="postcode"):
        DossierSubmitted.model_validate(_submitted_data(postcode="390000"))


def test_a_reader_still_refuses_data_that_breaks_the_declared_fields() -> None:
    with pytest.raises(ValidationError, match="channel"):
        DOSSIER_SUBMITTED.parse(_submitted_data(channel=9))


def test_every_producer_publishes_on_the_internal_exchange_and_our_queues_bind_there() -> None:
    assert {event.exchange for event in CATALOG} == {INTERNAL_EXCHANGE}
    mixed = QueueSpec.for_events("contract-test.mixed", DOSSIER_SUBMITTED, DOSSIER_CONTACT_REGISTERED)
    assert mixed.exchange == INTERNAL_EXCHANGE
    assert DOSSIER_SUBMITTED.public and not DOSSIER_CONTACT_REGISTERED.public


def test_payment_events_count_in_the_dossier_stream() -> None:
    assert PAYMENT_COMPLETED.stream == DOSSIER_SUBMITTED.stream == "dossier"
    assert {e.stream for e in PUBLIC_CATALOG} == {"dossier", "procedure", "agency", "question"}


def test_every_producer_is_a_service_of_this_repository() -> None:
    services = {p.name for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").is_file()}
    assert {event.producer for event in CATALOG} <= services


def test_the_public_sequence_orders_lexicographically() -> None:
    positions = [1, 2, 9, 10, 11, 99, 100, 12345678901]
    assert sorted(public_sequence(p) for p in positions) == [public_sequence(p) for p in positions]
    assert public_sequence(1) == "00000000000000000001"
    with pytest.raises(ValueError):
        public_sequence(0)


def test_asyncapi_is_versioned_from_the_catalog_and_open_to_new_fields() -> None:
    document = json.loads(docs.asyncapi_json())
    assert document["info"]["version"] == CATALOG_VERSION

    def closed(node: Any) -> bool:
        if isinstance(node, dict):
            return node.get("additionalProperties") is False or any(closed(v) for v in node.values())
        return isinstance(node, list) and any(closed(v) for v in node)

    assert not closed(document)
    for event in CATALOG:
        message = document["components"]["messages"][event.routing_key.replace(".", "_")]
        assert message["x-dvc-source"] == event.source
        (example,) = message["examples"]
        assert example["payload"]["source"] == event.source


def test_the_documented_examples_name_their_real_producer_and_envelope() -> None:
    markdown = docs.events_markdown()
    for event in CATALOG:
        section = markdown.split(f"\n## `{event.routing_key}`\n", 1)[1].split("\n## ", 1)[0]
        example = json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))  # type: ignore[union-attr]
        assert example["source"] == event.source
        if event.public:
            assert PublicEvent.model_validate(example).sequence == public_sequence(1)
        else:
            assert CloudEvent.model_validate(example).sequence == 1


def test_the_committed_documents_are_generated() -> None:
    assert (ROOT / "docs" / "events.md").read_text(encoding="utf-8") == docs.events_markdown()
    assert (ROOT / "docs" / "asyncapi.json").read_text(encoding="utf-8") == docs.asyncapi_json()
