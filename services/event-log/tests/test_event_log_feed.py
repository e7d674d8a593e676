"""GET /api/v1/events: the history feed integrators catch up from (auth, paging, filters, problems)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from event_log_support import EventLog, Producers
from test_event_log_sequencing import example, new_code

from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    PAYMENT_REQUESTED,
    QUESTION_ASKED,
    EventType,
    PublicEvent,
    public_sequence,
)


async def _dossier_life(event_log: EventLog, producers: Producers, code: str) -> list[Any]:
    life: list[tuple[str, EventType[Any]]] = [
        ("intake", DOSSIER_CONTACT_REGISTERED),
        ("intake", DOSSIER_SUBMITTED),
        ("workflow", DOSSIER_STATUS_CHANGED),
        ("payments", PAYMENT_REQUESTED),
        ("workflow", DOSSIER_STATUS_CHANGED),
    ]
    events = [await producers.emit(s, t, example(t, code), code) for s, t in life]
    for event in events:
        await event_log.deliver(event)
    return [e for e in events if e.type != DOSSIER_CONTACT_REGISTERED.ce_type]


async def test_the_feed_serves_the_envelopes_published_on_dvc_events(
    event_log: EventLog, producers: Producers
) -> None:
    code = new_code()
    public = await _dossier_life(event_log, producers, code)
    response = await event_log.feed()
    assert response.status_code == 200, response.text
    body = response.json()
    published = [
        {k: v for k, v in m.items() if k not in ("exchange", "routing_key")}
        for m in await event_log.published()
    ]
    assert [PublicEvent.model_validate(e) for e in body["events"]] == [
        PublicEvent.model_validate(m) for m in published
    ]
    assert [e["id"] for e in body["events"]] == [str(e.id) for e in public]
    assert [e["sequence"] for e in body["events"]] == [public_sequence(n) for n in range(1, 5)]
    assert body["has_more"] is False


async def test_pages_follow_on_from_the_cursor_to_the_end_and_then_wait(
    event_log: EventLog, producers: Producers
) -> None:
    code = new_code()
    public = await _dossier_life(event_log, producers, code)
    seen, cursor, pages = [], "0", 0
    while True:
        page = (await event_log.feed(after=cursor, limit=3)).json()
        seen += [e["id"] for e in page["events"]]
        cursor, pages = page["next"], pages + 1
        if not page["has_more"]:
            break
    assert seen == [str(e.id) for e in public] and pages == 2
    assert (await event_log.feed(after=cursor)).json() == {"events": [], "next": cursor, "has_more": False}
    later = await producers.emit(
        "workflow", DOSSIER_STATUS_CHANGED, example(DOSSIER_STATUS_CHANGED, code), code
    )
    await event_log.deliver(later)
    page = (await event_log.feed(after=cursor)).json()
    assert [e["id"] for e in page["events"]] == [str(later.id)]
    assert page["events"][0]["sequence"] == public_sequence(5)


async def test_filters_by_subject_and_type(event_log: EventLog, producers: Producers) -> None:
    mine, other = new_code(), new_code()
    await _dossier_life(event_log, producers, mine)
    await _dossier_life(event_log, producers, other)
    question = str(uuid.uuid4())
    asked = QUESTION_ASKED.example.model_copy(update={"question_id": question})
    await event_log.deliver(await producers.emit("qa", QUESTION_ASKED, asked, question))

    by_subject = (await event_log.feed(subject=mine)).json()["events"]
    assert {e["subject"] for e in by_subject} == {mine}
    assert [e["sequence"] for e in by_subject] == [public_sequence(n) for n in range(1, 5)]
    by_type = (await event_log.feed(type=DOSSIER_STATUS_CHANGED.ce_type)).json()
    assert [e["type"] for e in by_type["events"]] == [DOSSIER_STATUS_CHANGED.ce_type] * 4
    both = await event_log.http.get(
        "/api/v1/events",
        params=[("type", QUESTION_ASKED.ce_type), ("type", PAYMENT_REQUESTED.ce_type), ("subject", other)],
        headers={"X-API-Key": "dev-integrator-key"},
    )
    assert [e["type"] for e in both.json()["events"]] == [PAYMENT_REQUESTED.ce_type]
    # A filtered reader at the end moves to the end of the whole feed, not back to its last match.
    everything = (await event_log.feed(limit=500)).json()
    assert by_type["next"] == everything["next"]


@pytest.mark.parametrize(
    "headers", [{}, {"X-API-Key": "not-a-key"}, {"Authorization": "Bearer dev-integrator-key"}]
)
async def test_without_a_valid_integrator_key_the_feed_is_refused(
    event_log: EventLog, headers: dict[str, str]
) -> None:
    response = await event_log.http.get("/api/v1/events", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("ApiKey")
    assert response.json()["title"] == "Chưa xác thực"


@pytest.mark.parametrize(
    ("params", "slug", "says"),
    [
        ({"after": "abc"}, "invalid-cursor", "không phải con trỏ"),
        ({"after": "-5"}, "invalid-cursor", "không phải con trỏ"),
        ({"after": "9" * 30}, "invalid-cursor", "không phải con trỏ"),
        ({"type": "vn.dvc.dossier.teleported.v1"}, "unknown-event-type", "Không có loại sự kiện công khai"),
        ({"type": DOSSIER_CONTACT_REGISTERED.ce_type}, "unknown-event-type", "dossier.contact_registered"),
        ({"limit": "0"}, "invalid-request", "không hợp lệ"),
        ({"limit": "501"}, "invalid-request", "không hợp lệ"),
    ],
)
async def test_bad_input_is_a_problem_in_vietnamese(
    event_log: EventLog, params: dict[str, str], slug: str, says: str
) -> None:
    response = await event_log.feed(**params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith(slug)
    assert says in problem["detail"] + problem["title"] + str(problem.get("unknown", ""))


async def test_the_api_document_declares_the_model_and_the_answers(event_log: EventLog) -> None:
    spec = (await event_log.http.get("/openapi.json")).json()
    operation = spec["paths"]["/api/v1/events"]["get"]
    assert set(operation["responses"]) >= {"200", "401", "410", "422"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "EventPage"
    )
    assert spec["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-API-Key"
