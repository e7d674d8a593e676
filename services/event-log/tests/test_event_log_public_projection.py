"""What integrators get of an event is its public projection, on dvc.events, in the stored history and
in the feed: the producers' personal data (file names, owner subjects, officers, free text) stays
on dvc.internal, and history kept from before the projections is served projected, internal types
of it not at all."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from event_log_support import MIGRATIONS, EventLog, Producers
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from test_event_log_sequencing import example, new_code

from dvc_common.events import (
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    OFFICER_UPSERTED,
    PROCEDURE_PUBLISHED,
    ProcessingStep,
    SubmittedFile,
    public_sequence,
)
from dvc_common.migrations import upgrade
from dvc_devkit.testing.infra import postgres_database

PERSONAL = ("CCCD_012345678901_Nguyen_Van_An.pdf", "vneid-c-012345678901", "Lò Văn Tâm", "Gọi anh An")


def _submitted(code: str) -> Any:
    files = [SubmittedFile(name=PERSONAL[0], content_type="application/pdf", size=4, sha256="ab" * 32)]
    return example(DOSSIER_SUBMITTED, code, files=files, owner_subject=PERSONAL[1])


def _status_changed(code: str) -> Any:
    step = ProcessingStep(officer_name=PERSONAL[2], officer_position="Chuyên viên", content="Tiếp nhận hồ sơ")
    return example(DOSSIER_STATUS_CHANGED, code, note=PERSONAL[3], step=step)


async def test_dvc_events_the_history_and_the_feed_carry_the_projection_only(
    event_log: EventLog, producers: Producers
) -> None:
    code = new_code()
    submitted = await producers.emit("intake", DOSSIER_SUBMITTED, _submitted(code), code)
    changed = await producers.emit("workflow", DOSSIER_STATUS_CHANGED, _status_changed(code), code)
    assert PERSONAL[0] in json.dumps(submitted.data, ensure_ascii=False) and PERSONAL[3] in json.dumps(
        changed.data, ensure_ascii=False
    )
    for event in (submitted, changed):
        assert await event_log.deliver(event)

    published = await event_log.published()
    stored = await event_log.sql("SELECT envelope FROM event_log_history ORDER BY id")
    served = (await event_log.feed(subject=code)).json()["events"]
    for what in (published, stored, served):
        shown = json.dumps(what, ensure_ascii=False)
        assert not [value for value in PERSONAL if value in shown], what
    by_type = {m["type"]: m["data"] for m in published}
    assert by_type[DOSSIER_SUBMITTED.ce_type]["files"] == [{"content_type": "application/pdf", "size": 4}]
    assert "owner_subject" not in by_type[DOSSIER_SUBMITTED.ce_type]
    step = by_type[DOSSIER_STATUS_CHANGED.ce_type]["step"]
    assert step["content"] == "Tiếp nhận hồ sơ" and "officer_name" not in step
    assert [e["data"] for e in served] == [m["data"] for m in published]


async def test_history_recorded_before_the_projections_is_served_projected(event_log: EventLog) -> None:
    """Rows the event log stored with whole payloads (before 3.0.0): the feed shows their projection,
    and none of a type that is internal now (officer.upserted.v1)."""
    code = new_code()
    officer = str(uuid.uuid4())
    old = [
        ("dossier", code, DOSSIER_SUBMITTED.ce_type, _submitted(code)),
        ("officer", officer, OFFICER_UPSERTED.ce_type, OFFICER_UPSERTED.example),
        ("procedure", "1.003560.000.00.00.H56", PROCEDURE_PUBLISHED.ce_type, PROCEDURE_PUBLISHED.example),
    ]
    for stream, subject, ce_type, payload in old:
        envelope = {
            "specversion": "1.0",
            "id": str(uuid.uuid4()),
            "type": ce_type,
            "source": "dvc-test",
            "subject": subject,
            "time": datetime.now(UTC).isoformat(),
            "datacontenttype": "application/json",
            "data": payload.model_dump(mode="json"),
            "sequence": public_sequence(1),
            "correlationid": subject,
        }
        async with event_log.runtime.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO event_log_history (event_id, type, source, stream, subject, position, recorded_at,"
                    " envelope) VALUES (CAST(:id AS uuid), :type, 'dvc-test', :stream, :subject, 1, now(),"
                    " CAST(:envelope AS jsonb))"
                ),
                {
                    "id": envelope["id"],
                    "type": ce_type,
                    "stream": stream,
                    "subject": subject,
                    "envelope": json.dumps(envelope, ensure_ascii=False),
                },
            )
    served = (await event_log.feed()).json()["events"]
    assert [e["type"] for e in served] == [DOSSIER_SUBMITTED.ce_type, PROCEDURE_PUBLISHED.ce_type]
    shown = json.dumps(served, ensure_ascii=False)
    assert not [value for value in (*PERSONAL[:2], OFFICER_UPSERTED.example.name) if value in shown]
    assert served[0]["data"]["files"] == [{"content_type": "application/pdf", "size": 4}]
    assert served[1]["data"]["name"] == PROCEDURE_PUBLISHED.example.name
    refused = await event_log.feed(type=OFFICER_UPSERTED.ce_type)
    assert refused.status_code == 422, refused.text


def test_the_migration_takes_personal_data_out_of_the_stored_history() -> None:
    """A history database of before (revision 185d5a1b52f9, whole payloads) migrated to head keeps
    each public event projected, and no row of a type that is internal now."""
    code = new_code()
    rows = [
        (DOSSIER_SUBMITTED.ce_type, "dossier", code, _submitted(code).model_dump(mode="json")),
        (
            OFFICER_UPSERTED.ce_type,
            "officer",
            str(uuid.uuid4()),
            OFFICER_UPSERTED.example.model_dump(mode="json"),
        ),
    ]

    async def insert(url: str) -> None:
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            for position, (ce_type, stream, subject, data) in enumerate(rows, start=1):
                envelope = {"type": ce_type, "subject": subject, "data": data, "sequence": public_sequence(1)}
                await conn.execute(
                    text(
                        "INSERT INTO event_log_history (event_id, type, source, stream, subject, position,"
                        " recorded_at, envelope) VALUES (:id, :type, 'dvc-test', :stream, :subject, :p, now(),"
                        " CAST(:envelope AS jsonb))"
                    ),
                    {
                        "id": uuid.uuid4(),
                        "type": ce_type,
                        "stream": stream,
                        "subject": subject,
                        "p": position,
                        "envelope": json.dumps(envelope, ensure_ascii=False),
                    },
                )
        await engine.dispose()

    async def read(url: str) -> list[Any]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            kept = (
                await conn.execute(text("SELECT type, envelope FROM event_log_history ORDER BY id"))
            ).all()
        await engine.dispose()
        return list(kept)

    with postgres_database("dvc_event_log_migration") as url:
        upgrade(MIGRATIONS, url, "185d5a1b52f9")
        asyncio.run(insert(url))
        upgrade(MIGRATIONS, url)
        kept = asyncio.run(read(url))
    assert [row.type for row in kept] == [DOSSIER_SUBMITTED.ce_type]
    stored = json.dumps(kept[0].envelope, ensure_ascii=False)
    assert not [value for value in (*PERSONAL[:2], OFFICER_UPSERTED.example.name) if value in stored]
    assert kept[0].envelope["data"]["files"] == [{"content_type": "application/pdf", "size": 4}]
