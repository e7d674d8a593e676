"""Retention: the public history is kept for the configured days, purged by a job under a lease."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from event_log_support import EventLog, Producers, now, settings_for, truncate
from sqlalchemy import text
from test_event_log_sequencing import example, new_code

from dvc_common.events import DOSSIER_STATUS_CHANGED, DOSSIER_SUBMITTED, public_sequence
from dvc_common.jobs import RunAgain
from dvc_event_log.app import build


@pytest.fixture
async def short_memory(event_log_db_url: str) -> AsyncIterator[EventLog]:
    """An event log keeping 30 days of history, purging two events per pass."""
    app = build(settings_for(event_log_db_url, history_retention_days=30, purge_batch_size=2))
    await truncate(app.state.runtime.engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://event-log"
    ) as client:
        yield EventLog(app, client)
    await app.state.runtime.engine.dispose()


async def test_events_older_than_the_retention_are_purged_and_their_cursors_expire(
    short_memory: EventLog, producers: Producers
) -> None:
    code = new_code()
    long_ago = now() - timedelta(days=45)
    old = [
        await producers.emit(s, t, example(t, code), code)
        for s, t in (
            ("intake", DOSSIER_SUBMITTED),
            ("workflow", DOSSIER_STATUS_CHANGED),
            ("workflow", DOSSIER_STATUS_CHANGED),
        )
    ]
    for event in old:
        await short_memory.deliver(event, now=long_ago)
    async with short_memory.runtime.engine.begin() as conn:  # their inbox entries are as old
        await conn.execute(
            text("UPDATE inbox_message SET processed_at = :at WHERE event_id = ANY(:ids)"),
            {"at": long_ago, "ids": [e.id for e in old]},
        )
    cursor_in_the_past = (await short_memory.feed(limit=1)).json()["next"]
    recent = await producers.emit(
        "workflow", DOSSIER_STATUS_CHANGED, example(DOSSIER_STATUS_CHANGED, code), code
    )
    await short_memory.deliver(recent)

    job = short_memory.app.state.retention
    assert await job.run_once() == RunAgain()  # a full batch: more may be left
    assert await job.run_once() is None  # the third old event; nothing left
    assert await job.run_once() is None

    page = (await short_memory.feed()).json()
    assert [e["id"] for e in page["events"]] == [str(recent.id)]
    assert page["events"][0]["sequence"] == public_sequence(4), "positions go on after a purge"
    expired = await short_memory.feed(after=cursor_in_the_past)
    assert expired.status_code == 410
    assert expired.json()["type"].endswith("cursor-expired")
    assert "đồng bộ lại từ đầu" in expired.json()["detail"]
    inbox = await short_memory.sql("SELECT event_id FROM inbox_message")
    assert [row["event_id"] for row in inbox] == [recent.id], "inbox entries go with the history"


async def test_the_default_keeps_about_six_months(event_log: EventLog) -> None:
    settings = event_log.app.state.settings
    assert 180 <= settings.history_retention_days <= 186
    lease = event_log.app.state.retention
    assert lease.name == "event-log-retention"
