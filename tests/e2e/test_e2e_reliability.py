"""Nothing is lost and nothing happens twice when processes die or the national portal is down."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid
from datetime import UTC, datetime
from functools import partial

import aio_pika
import httpx

from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_SUBMITTED,
    CloudEvent,
    DossierContactRegistered,
    DossierSubmitted,
    SubmittedFile,
)
from dvc_devkit.devstack import Stack
from e2e_support import eventually, mails_to, portal_record, submit


def test_consumer_down_mid_stream_loses_nothing(stack: Stack) -> None:
    stack.stop("workflow")
    try:
        emails = [f"cho.{i}.{uuid.uuid4().hex[:6]}@example.vn" for i in range(5)]
        codes = [submit(stack, email=email).json()["code"] for email in emails]
        time.sleep(1)
        assert all(not mails_to(stack, email) for email in emails), (
            "nothing can be notified while workflow is down"
        )
    finally:
        stack.start("workflow")
    for email in emails:
        eventually(partial(mails_to, stack, email), what=f"mail to {email}")
    for code in codes:
        state = httpx.get(stack.url("workflow") + f"/api/v1/dossiers/{code}", timeout=10).json()
        assert [h["status"] for h in state["history"]] == [1]


def test_crash_in_the_middle_of_a_burst_gives_every_applicant_exactly_one_mail(stack: Stack) -> None:
    emails = [f"dot.{i}.{uuid.uuid4().hex[:6]}@example.vn" for i in range(20)]
    for email in emails[:10]:
        assert submit(stack, email=email).status_code == 201
    workflow = stack.processes["workflow"]
    assert workflow.popen is not None
    workflow.popen.send_signal(signal.SIGKILL)  # a crash: no graceful shutdown, messages unacked
    for email in emails[10:]:
        assert submit(stack, email=email).status_code == 201
    workflow.stop()
    stack.start("workflow")
    for email in emails:
        eventually(partial(mails_to, stack, email), what=f"mail to {email}")
    time.sleep(1.5)  # room for a duplicate to show up, if there were one
    assert all(len(mails_to(stack, email)) == 1 for email in emails)


def test_portal_outage_is_retried_until_it_is_back(stack: Stack) -> None:
    control = stack.url("sandbox") + "/national-portal/_control/outage"
    state = stack.url("sandbox") + "/national-portal/_control/state"
    refused_before = httpx.get(state, timeout=10).json()["refused_while_down"]
    httpx.post(control, json={"down": True}, timeout=10).raise_for_status()
    try:
        code = submit(stack, email=f"ngat.{uuid.uuid4().hex[:6]}@example.vn").json()["code"]
        eventually(
            lambda: httpx.get(state, timeout=10).json()["refused_while_down"] >= refused_before + 2,
            what="sync-national retrying against the unavailable portal",
        )
        assert code not in httpx.get(state, timeout=10).json()["dossiers"]
    finally:
        httpx.post(control, json={"down": False}, timeout=10).raise_for_status()
    record = eventually(lambda: portal_record(stack, code), timeout=60, what="record after the outage")
    assert record["current"]["TrangThaiHoSo"] == 1
    assert len(record["history"]) == 1


def _event(event_type, payload, subject: str) -> CloudEvent:  # type: ignore[no-untyped-def]
    return CloudEvent(
        id=uuid.uuid4(),
        type=event_type.ce_type,
        source="dvc-intake",
        subject=subject,
        time=datetime.now(UTC),
        data=payload.model_dump(mode="json"),
        sequence=1,
        correlationid=subject,
    )


async def _publish_twice(amqp_url: str, events: list[tuple[str, str, CloudEvent]]) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        for exchange_name, routing_key, event in events:
            exchange = await channel.get_exchange(exchange_name)
            body = event.model_dump_json().encode()
            for _ in range(2):
                await exchange.publish(
                    aio_pika.Message(
                        body, message_id=str(event.id), content_type="application/cloudevents+json"
                    ),
                    routing_key=routing_key,
                )


def test_the_same_event_delivered_twice_has_one_effect(stack: Stack) -> None:
    code = f"000.00.14.H56-200102-{uuid.uuid4().int % 10000:04d}"
    email = f"trung.{uuid.uuid4().hex[:6]}@example.vn"
    contact = _event(
        DOSSIER_CONTACT_REGISTERED,
        DossierContactRegistered(code=code, applicant_name="Lò Văn Chung", email=email, phone=None),
        code,
    )
    submitted = _event(
        DOSSIER_SUBMITTED,
        DossierSubmitted(
            code=code,
            procedure_code="1.003560.000.00.00.H56",
            agency_id="000.00.14.H56",
            channel=2,
            applicant_kind=1,
            submitted_at=datetime.now(UTC),
            files=[SubmittedFile(name="a.pdf", content_type="application/pdf", size=10, sha256="0" * 64)],
        ),
        code,
    )
    asyncio.run(
        _publish_twice(
            stack.config.amqp_url,
            [
                (DOSSIER_CONTACT_REGISTERED.exchange, DOSSIER_CONTACT_REGISTERED.routing_key, contact),
                (DOSSIER_SUBMITTED.exchange, DOSSIER_SUBMITTED.routing_key, submitted),
            ],
        )
    )
    eventually(lambda: mails_to(stack, email), what="the one mail")
    record = eventually(lambda: portal_record(stack, code), what="portal record")
    time.sleep(1.5)
    assert len(mails_to(stack, email)) == 1
    state = httpx.get(stack.url("workflow") + f"/api/v1/dossiers/{code}", timeout=10).json()
    assert [h["status"] for h in state["history"]] == [1]
    assert len(portal_record(stack, code)["history"]) == len(record["history"]) == 1  # type: ignore[index]
    json.dumps(state)
