"""An integrator, the way docs/events.md tells one to work: its own queue bound to dvc.events, every
message parsed with the official CloudEvents SDK, events ordered per dossier by `sequence`, a gap
filled from the event-log's feed, and a late joiner catching up from the feed alone.

The dossier's whole life is driven through the services' HTTP APIs: submitted at intake, received
and processed in workflow, its fee paid through payments and the platform simulator, the result
made ready and returned.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import httpx
import pytest
from cloudevents.core.base import BaseCloudEvent
from cloudevents.core.bindings.rabbitmq import RabbitMQMessage, from_rabbitmq_event
from test_e2e_payments import citizen, configure, dossier_awaiting_payment, operator_and_officer

from dvc_common.events import (
    BY_TYPE,
    DOSSIER_RESULT_RETURNED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    PUBLIC_EXCHANGE,
    public_payload,
)
from dvc_devkit.devstack import Stack
from e2e_support import eventually

DEV_KEY = {"X-API-Key": "dev-integrator-key"}  # the development integrator key (event-log settings)
BINDINGS = ("dossier.#", "payment.#", "notification.#")  # every event of a dossier's stream


def parse(body: bytes) -> BaseCloudEvent:
    return from_rabbitmq_event(
        RabbitMQMessage(headers={}, content_type="application/cloudevents+json", body=body)
    )


def from_feed(envelope: dict[str, Any]) -> BaseCloudEvent:
    return parse(json.dumps(envelope).encode())


def data(event: BaseCloudEvent) -> dict[str, Any]:
    value = event.get_data()
    assert isinstance(value, dict), value
    return value


def position(event: BaseCloudEvent) -> int:
    return int(str(event.get_extension("sequence")))


@dataclass
class DossierFollower:
    """The documented rule: per subject, apply position last + 1; skip what was applied; fill a gap
    from the feed before going on."""

    feed_url: str
    applied: list[BaseCloudEvent] = field(default_factory=list)
    gaps_filled: list[tuple[int, int]] = field(default_factory=list)

    @property
    def last(self) -> int:
        return position(self.applied[-1]) if self.applied else 0

    def receive(self, event: BaseCloudEvent) -> None:
        p = position(event)
        if p <= self.last:
            return  # a duplicate
        if p > self.last + 1:
            self.fill(str(event.get_subject()), self.last + 1, p - 1)
        self.applied.append(event)

    def fill(self, subject: str, first: int, last: int) -> None:
        page = httpx.get(
            self.feed_url, params={"subject": subject, "limit": 500}, headers=DEV_KEY, timeout=10
        )
        assert page.status_code == 200, page.text
        missing = [e for e in map(from_feed, page.json()["events"]) if first <= position(e) <= last]
        assert [position(e) for e in missing] == list(range(first, last + 1))
        self.applied += missing
        self.gaps_filled.append((first, last))


@pytest.fixture
def integrator_queue(stack: Stack) -> Iterator[str]:
    """The integrator's durable queue, declared and bound before anything happens (snapshot-then-follow)."""
    name = f"integrator.e2e-{uuid.uuid4().hex[:8]}"

    async def declare() -> None:
        connection = await aio_pika.connect(stack.config.amqp_url)
        async with connection:
            channel = await connection.channel()
            exchange = await channel.declare_exchange(
                PUBLIC_EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
            )
            queue = await channel.declare_queue(name, durable=True)
            for pattern in BINDINGS:
                await queue.bind(exchange, routing_key=pattern)

    async def delete() -> None:
        connection = await aio_pika.connect(stack.config.amqp_url)
        async with connection:
            await (await connection.channel()).queue_delete(name)

    asyncio.run(declare())
    yield name
    asyncio.run(delete())


def drain(stack: Stack, queue: str) -> list[bytes]:
    """Every message waiting in the queue now (acknowledged)."""

    async def take() -> list[bytes]:
        bodies: list[bytes] = []
        connection = await aio_pika.connect(stack.config.amqp_url)
        async with connection:
            channel = await connection.channel()
            source = await channel.get_queue(queue)
            while (message := await source.get(fail=False)) is not None:
                bodies.append(message.body)
                await message.ack()
        return bodies

    return asyncio.run(take())


def live_a_full_dossier_life(stack: Stack) -> str:
    try:
        operator, officer = operator_and_officer(stack)
    except subprocess.CalledProcessError as failed:
        pytest.fail(f"dvc-identity bootstrap-operator failed: {failed.stderr}")
    payer = citizen(stack)
    payments = httpx.Client(base_url=stack.url("payments"), timeout=30)
    workflow = httpx.Client(base_url=stack.url("workflow"), timeout=30)
    configure(payments, operator)
    code = dossier_awaiting_payment(stack, officer, workflow, payer)
    (request,) = eventually(
        lambda: payments.get("/api/v1/payments", params={"dossier_code": code}, headers=payer).json(),
        what="payment request",
    )
    started = payments.post(f"/api/v1/payments/{request['payment_id']}/start", headers=payer).json()
    bank = httpx.get(started["pay_url"], params={"outcome": "success"}, timeout=30)
    assert httpx.get(bank.headers["location"], timeout=30).json()["verdict"] in ("paid", "already_paid")
    state = eventually(
        lambda: (s := workflow.get(f"/api/v1/dossiers/{code}").json())["status"] != 6 and s,
        what="dossier moved on after payment",
    )
    for _ in range(6):
        if state["status"] == 9:
            break
        state = workflow.post(f"/api/v1/dossiers/{code}/actions/forward", headers=officer).json()
    assert state["status"] == 9, state
    returned = workflow.post(
        f"/api/v1/dossiers/{code}/actions/return_result", json={"delivery_method": "counter"}, headers=officer
    )
    assert returned.status_code == 200 and returned.json()["status"] == 10, returned.text
    return code


def test_an_integrator_follows_a_dossier_detects_a_gap_and_fills_it_from_the_feed(
    stack: Stack, integrator_queue: str
) -> None:
    code = live_a_full_dossier_life(stack)
    received: list[BaseCloudEvent] = []

    def whole_life_arrived() -> bool:
        received.extend(e for e in map(parse, drain(stack, integrator_queue)) if e.get_subject() == code)
        types = {e.get_type() for e in received}
        last_status = [e for e in received if e.get_type() == DOSSIER_STATUS_CHANGED.ce_type][-1:]
        returned = bool(last_status) and data(last_status[0])["status"] == 10
        return DOSSIER_RESULT_RETURNED.ce_type in types and returned

    eventually(whole_life_arrived, timeout=60, what="the returned result (status 10) on dvc.events")
    in_order = sorted(
        received, key=lambda e: str(e.get_extension("sequence"))
    )  # lexicographic, as documented

    # One stream for the dossier, from 1 and without a gap, whichever service produced each event.
    assert [position(e) for e in in_order] == list(range(1, len(in_order) + 1))
    assert all(len(str(e.get_extension("sequence"))) == 20 for e in in_order)
    sources = {e.get_source() for e in in_order}
    assert {"dvc-intake", "dvc-workflow", "dvc-payments"} <= sources
    assert all(e.get_source() == BY_TYPE[e.get_type()].source for e in in_order)
    assert all(BY_TYPE[e.get_type()].public for e in in_order), "nothing internal reaches dvc.events"
    # Each event shows its public projection, exactly (no owner subject, file names, officers, notes).
    for event in in_order:
        view = public_payload(BY_TYPE[event.get_type()])
        assert set(data(event)) == set(view.model_fields), (event.get_type(), data(event))
        assert view.model_validate(data(event)).model_dump(mode="json") == data(event)
    (submitted,) = [e for e in in_order if e.get_type() == DOSSIER_SUBMITTED.ce_type]
    assert all(set(f) == {"content_type", "size"} for f in data(submitted)["files"]), data(submitted)
    statuses = [data(e)["status"] for e in in_order if e.get_type() == DOSSIER_STATUS_CHANGED.ce_type]
    history = httpx.get(stack.url("workflow") + f"/api/v1/dossiers/{code}", timeout=10).json()["history"]
    changes = [
        h["status"] for i, h in enumerate(history) if i == 0 or h["status"] != history[i - 1]["status"]
    ]
    assert statuses == changes and statuses[-1] == 10

    # A message is lost (the test drops one): the follower sees the gap and fills it from the feed.
    dropped = in_order[len(in_order) // 2]
    follower = DossierFollower(stack.url("event-log") + "/api/v1/events")
    for event in (e for e in received if e.get_id() != dropped.get_id()):  # arrival order, a copy short
        follower.receive(event)
    assert follower.gaps_filled == [(position(dropped), position(dropped))]
    assert [e.get_id() for e in follower.applied] == [e.get_id() for e in in_order]
    assert data(follower.applied[position(dropped) - 1]) == data(dropped)

    # An integrator that joins late catches up from the feed alone, page after page.
    late, cursor = DossierFollower(follower.feed_url), "0"
    while True:
        page = httpx.get(
            late.feed_url, params={"after": cursor, "limit": 7}, headers=DEV_KEY, timeout=10
        ).json()
        for event in map(from_feed, page["events"]):
            if event.get_subject() == code:
                late.receive(event)
        cursor = page["next"]
        if not page["has_more"]:
            break
    assert late.gaps_filled == []
    assert [(e.get_id(), e.get_extension("sequence")) for e in late.applied] == [
        (e.get_id(), e.get_extension("sequence")) for e in in_order
    ]
    assert httpx.get(late.feed_url, timeout=10).status_code == 401
