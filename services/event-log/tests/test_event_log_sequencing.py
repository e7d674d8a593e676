"""The integrator-facing order: one gap-free stream per dossier across every producer, whatever the
redeliveries, concurrent consumers, rolled-back transactions and overtaking retries."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from event_log_support import EventLog, Producers
from sqlalchemy import text

from dvc_common.events import (
    BY_TYPE,
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_RECEIVED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    NOTIFICATION_FAILED,
    PAYMENT_COMPLETED,
    PAYMENT_RECEIPT_ISSUED,
    PAYMENT_REQUESTED,
    PUBLIC_EXCHANGE,
    QUESTION_ASKED,
    EventType,
    PublicEvent,
    project,
    public_sequence,
)
from dvc_event_log.domain.order import Arrival, arrival
from dvc_event_log.service.recording import EarlierEventMissing


def new_code() -> str:
    return f"000.00.14.H56-260223-{uuid.uuid4().int % 10_000:04d}{uuid.uuid4().hex[:4]}"


def example(event_type: EventType[Any], code: str, **update: Any) -> Any:
    field = "dossier_code" if "dossier_code" in event_type.payload.model_fields else "code"
    return event_type.example.model_copy(update={field: code, **update})


LIFE: list[
    tuple[str, EventType[Any]]
] = [  # (producer, event type) in the order the services emit them for one dossier
    ("intake", DOSSIER_CONTACT_REGISTERED),  # internal: never numbered
    ("intake", DOSSIER_SUBMITTED),
    ("workflow", DOSSIER_STATUS_CHANGED),
    ("workflow", DOSSIER_RECEIVED),
    ("payments", PAYMENT_REQUESTED),
    ("notify", NOTIFICATION_FAILED),
    ("payments", PAYMENT_COMPLETED),
    ("payments", PAYMENT_RECEIPT_ISSUED),  # internal
    ("workflow", DOSSIER_STATUS_CHANGED),
]


async def test_one_dossier_is_one_gap_free_stream_across_every_producer(
    event_log: EventLog, producers: Producers
) -> None:
    code = new_code()
    emitted = [await producers.emit(s, t, example(t, code), code) for s, t in LIFE]
    for event in emitted:
        assert await event_log.deliver(event)

    published = await event_log.published()
    assert {m["exchange"] for m in published} == {PUBLIC_EXCHANGE}
    envelopes = [
        PublicEvent.model_validate({k: v for k, v in m.items() if k not in ("exchange", "routing_key")})
        for m in published
    ]
    public = [
        e
        for e in emitted
        if e.type not in (DOSSIER_CONTACT_REGISTERED.ce_type, PAYMENT_RECEIPT_ISSUED.ce_type)
    ]
    assert [e.id for e in envelopes] == [e.id for e in public]
    assert [e.sequence for e in envelopes] == [public_sequence(n) for n in range(1, len(public) + 1)]
    # Everything else is the producer's: source, subject, time, data (its public projection),
    # correlation, trace.
    for envelope, original in zip(envelopes, public, strict=True):
        shown = project(BY_TYPE[original.type], original.data)
        assert (envelope.source, envelope.subject, envelope.data) == (original.source, code, shown)
        assert envelope.time == original.time and envelope.correlationid == original.correlationid
    assert [m["routing_key"] for m in published] == [e.routing_key for e in public]
    history = await event_log.sql("SELECT stream, position FROM event_log_history ORDER BY id")
    assert history == [{"stream": "dossier", "position": n} for n in range(1, len(public) + 1)]


async def test_other_aggregates_have_streams_of_their_own(event_log: EventLog, producers: Producers) -> None:
    code, question = new_code(), str(uuid.uuid4())
    await event_log.deliver(
        await producers.emit("intake", DOSSIER_SUBMITTED, example(DOSSIER_SUBMITTED, code), code)
    )
    asked = QUESTION_ASKED.example.model_copy(update={"question_id": question})
    await event_log.deliver(await producers.emit("qa", QUESTION_ASKED, asked, question))
    rows = await event_log.sql("SELECT stream, subject, position FROM event_log_history ORDER BY id")
    assert rows == [
        {"stream": "dossier", "subject": code, "position": 1},
        {"stream": "question", "subject": question, "position": 1},
    ]


async def test_a_redelivered_event_is_recorded_and_published_once(
    event_log: EventLog, producers: Producers
) -> None:
    code = new_code()
    submitted = await producers.emit("intake", DOSSIER_SUBMITTED, example(DOSSIER_SUBMITTED, code), code)
    changed = await producers.emit(
        "workflow", DOSSIER_STATUS_CHANGED, example(DOSSIER_STATUS_CHANGED, code), code
    )
    assert await event_log.deliver(submitted)
    assert not await event_log.deliver(submitted)
    assert await event_log.deliver(changed)
    assert not await event_log.deliver(changed)
    assert [m["sequence"] for m in await event_log.published()] == [public_sequence(1), public_sequence(2)]


PRODUCERS: dict[str, EventType[Any]] = {
    "intake": DOSSIER_SUBMITTED,
    "workflow": DOSSIER_STATUS_CHANGED,
    "payments": PAYMENT_REQUESTED,
    "notify": NOTIFICATION_FAILED,
}


async def test_concurrent_consumers_keep_every_stream_gap_free(
    event_log: EventLog, producers: Producers
) -> None:
    """Many deliveries at once (as competing replicas would), each in its own transaction."""
    codes = [new_code() for _ in range(3)]
    events = []
    for code in codes:
        for service, event_type in PRODUCERS.items():
            for _ in range(3):
                # Each producer's events of one subject are delivered in that producer's order; the
                # producers interleave freely.
                events.append(
                    (
                        service,
                        code,
                        await producers.emit(service, event_type, example(event_type, code), code),
                    )
                )
    lanes: dict[tuple[str, str], list[Any]] = {}
    for service, code, event in events:
        lanes.setdefault((service, code), []).append(event)

    async def lane(queue: list[Any]) -> None:
        for event in queue:
            assert await event_log.deliver(event)

    await asyncio.gather(*(lane(queue) for queue in lanes.values()))
    for code in codes:
        rows = await event_log.sql(
            "SELECT position, source FROM event_log_history WHERE subject = :s ORDER BY id", s=code
        )
        assert [r["position"] for r in rows] == list(range(1, 13)), "gap-free, in recorded order"
    ids = [r["id"] for r in await event_log.sql("SELECT id FROM event_log_history ORDER BY id")]
    assert len(ids) == 36


async def test_a_rolled_back_recording_gives_its_number_back(
    event_log: EventLog, producers: Producers
) -> None:
    code = new_code()
    first = await producers.emit("intake", DOSSIER_SUBMITTED, example(DOSSIER_SUBMITTED, code), code)
    second = await producers.emit(
        "workflow", DOSSIER_STATUS_CHANGED, example(DOSSIER_STATUS_CHANGED, code), code
    )

    class Crash(Exception):
        pass

    with pytest.raises(Crash):
        async with event_log.runtime.transaction() as session:
            await event_log.handle(session, first)
            raise Crash  # e.g. the commit failed: position 1 was taken inside the rolled-back transaction
    assert await event_log.deliver(first) and await event_log.deliver(second)
    assert [m["sequence"] for m in await event_log.published()] == [public_sequence(1), public_sequence(2)]


async def test_an_event_that_overtook_an_earlier_one_of_its_producer_waits_for_it(
    event_log: EventLog, producers: Producers
) -> None:
    code = new_code()
    contact = await producers.emit(
        "intake", DOSSIER_CONTACT_REGISTERED, example(DOSSIER_CONTACT_REGISTERED, code), code
    )
    submitted = await producers.emit("intake", DOSSIER_SUBMITTED, example(DOSSIER_SUBMITTED, code), code)
    changed = await producers.emit(
        "workflow", DOSSIER_STATUS_CHANGED, example(DOSSIER_STATUS_CHANGED, code), code
    )
    resubmitted = await producers.emit("intake", DOSSIER_SUBMITTED, example(DOSSIER_SUBMITTED, code), code)

    with pytest.raises(EarlierEventMissing, match="waiting for #1 before #2"):
        await event_log.deliver(submitted)  # the internal contact (intake #1) is not recorded yet
    assert await event_log.deliver(contact)
    assert await event_log.deliver(changed)  # another producer: not held up
    assert await event_log.deliver(submitted)  # the retry now passes
    assert await event_log.deliver(resubmitted)
    published = await event_log.published()
    assert [m["id"] for m in published] == [str(changed.id), str(submitted.id), str(resubmitted.id)]
    assert [m["sequence"] for m in published] == [public_sequence(n) for n in (1, 2, 3)]


async def test_an_earlier_event_that_never_comes_holds_the_next_only_for_the_wait(
    event_log: EventLog, producers: Producers
) -> None:
    code = new_code()
    await producers.emit(
        "intake", DOSSIER_CONTACT_REGISTERED, example(DOSSIER_CONTACT_REGISTERED, code), code
    )
    submitted = await producers.emit("intake", DOSSIER_SUBMITTED, example(DOSSIER_SUBMITTED, code), code)
    with pytest.raises(EarlierEventMissing):
        await event_log.deliver(submitted, now=submitted.time + timedelta(seconds=1))
    assert await event_log.deliver(submitted, now=submitted.time + timedelta(seconds=6))
    assert [m["sequence"] for m in await event_log.published()] == [public_sequence(1)]


async def test_internal_events_never_take_a_public_number(event_log: EventLog, producers: Producers) -> None:
    code = new_code()
    for service, event_type in ((s, t) for s, t in LIFE if not t.public):
        await event_log.deliver(await producers.emit(service, event_type, example(event_type, code), code))
    assert await event_log.published() == []
    assert await event_log.sql("SELECT * FROM event_log_history") == []


async def test_a_producer_whose_counter_went_back_is_still_published(
    event_log: EventLog, producers: Producers
) -> None:
    """A producer's database restored from a backup numbers its next events again from an earlier
    value: they are new events (new ids), so they are published, never taken for copies."""
    code = new_code()
    first = await producers.emit("intake", DOSSIER_SUBMITTED, example(DOSSIER_SUBMITTED, code), code)
    second = await producers.emit("intake", DOSSIER_SUBMITTED, example(DOSSIER_SUBMITTED, code), code)
    assert await event_log.deliver(first) and await event_log.deliver(second)
    async with producers.engine.begin() as conn:  # the restore: intake's counter is back at 1
        await conn.execute(text("UPDATE event_sequence SET last_value = 1"))
    after_restore = await producers.emit("intake", DOSSIER_SUBMITTED, example(DOSSIER_SUBMITTED, code), code)
    assert after_restore.sequence == 2
    assert await event_log.deliver(after_restore)
    assert [m["id"] for m in await event_log.published()] == [
        str(e.id) for e in (first, second, after_restore)
    ]


@pytest.mark.parametrize(
    ("last", "sequence", "waited", "expected"),
    [
        (0, 1, 0, Arrival.NEXT),
        (4, 5, 0, Arrival.NEXT),
        (4, 6, 1, Arrival.EARLY),
        (4, 9, 4.9, Arrival.EARLY),
        (4, 6, 5, Arrival.LATE_GAP),
        (0, 7, 60, Arrival.LATE_GAP),  # first seen long after it was sent (a backlog): no waiting
        (4, 4, 0, Arrival.BEHIND),
        (4, 1, 0, Arrival.BEHIND),
    ],
)
def test_producer_order_rule(last: int, sequence: int, waited: float, expected: Arrival) -> None:
    sent = datetime(2026, 2, 23, 8, 15, tzinfo=UTC)
    came = arrival(
        last, sequence, sent_at=sent, now=sent + timedelta(seconds=waited), wait=timedelta(seconds=5)
    )
    assert came is expected
