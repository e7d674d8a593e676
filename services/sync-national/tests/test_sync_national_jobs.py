"""Sync-national's use-cases and background jobs against the sandbox's national portal: the change
log goes out in order and once, an outage backs off and resumes, national submissions are fetched
by one replica, operators see, resend and reconcile."""

from __future__ import annotations

import uuid

import pytest
from sync_support import PROCEDURE, Harness, life, new_code

from dvc_common.events import NationalStatus as S
from dvc_common.jobs import NotLeader, RunAgain
from dvc_sync_national.service import operator_views
from dvc_sync_national.service.jobs import Dispatch, inbound_job
from dvc_sync_national.service.reconciliation import reconcile


async def drain(dispatch: Dispatch) -> list[RunAgain | None]:
    """Passes of the dispatcher until it has nothing left (it then asks for the idle wait: None)."""
    answers: list[RunAgain | None] = []
    while not answers or answers[-1] is not None:
        answers.append(await dispatch())
        assert len(answers) < 20, "the dispatcher does not settle"
    return answers


async def test_changes_arriving_out_of_order_and_twice_reach_the_portal_in_order_once(sync: Harness) -> None:
    code = new_code()
    await sync.open(code)
    changes = life(code, [S.NEW, S.RECEIVED, S.PROCESSING, S.RESOLVED])
    first, second, third, fourth = changes
    redelivered = uuid.uuid4()
    await sync.record([first, third, fourth], event_ids=[uuid.uuid4(), redelivered, uuid.uuid4()])
    dispatch = Dispatch(sync.uow, sync.portal, sync.settings)
    await drain(dispatch)
    # 4 and 9 wait for 2: the portal has only what may go before it.
    assert sync.portal_statuses(code) == ([1], [])
    assert (await sync.dossier(code))["blocked"] == "waiting_earlier"
    await sync.record([second, third], event_ids=[uuid.uuid4(), redelivered])  # 4 again: recorded once
    await drain(dispatch)
    assert sync.portal_statuses(code) == ([1, 2, 4, 9], [2, 4, 9])
    async with sync.uow() as session:
        dossier, logged, attempts = await operator_views.dossier_sync(session, code)
    assert [c.status for c in logged] == [1, 2, 4, 9] and {c.state for c in logged} == {"synced"}
    assert dossier.pending == 0 and dossier.blocked is None and dossier.synced_status == S.RESOLVED
    assert {a.outcome for a in attempts} == {"ok"}
    # A late redelivery of a change long passed (a new event id for sequence 2) is never sent.
    await sync.record([second])
    await drain(dispatch)
    assert sync.portal_statuses(code)[0] == [1, 2, 4, 9]


async def test_an_outage_backs_off_and_the_backlog_resumes_when_the_portal_is_back(sync: Harness) -> None:
    waiting, also, later = new_code(), new_code(), new_code()
    dispatch = Dispatch(sync.uow, sync.portal, sync.settings)
    await (await sync.control.post("/outage", json={"down": True})).aclose()
    # Each round the portal does not serve makes the dispatcher wait twice as long (the shared
    # backoff from retry_base_seconds, 60 s here), and each dossier backs off on its own.
    for code, wait in ((waiting, 60), (also, 120)):
        await sync.open(code)
        await sync.record(life(code, [S.NEW, S.RECEIVED]))
        assert await dispatch() == RunAgain(after=wait)
        shown = await sync.dossier(code)
        assert shown["blocked"] == "unavailable" and shown["failures"] == 1 and shown["pending"] == 2
        assert "Cổng không phục vụ" in shown["last_error"]
    assert await dispatch() is None  # nothing is due for a minute
    await (await sync.control.post("/outage", json={"down": False})).aclose()
    # Another dossier goes through at once, which shows the portal is back: the dossiers that
    # waited only for it are due again without waiting out their backoff.
    await sync.open(later)
    await sync.record(life(later, [S.NEW]))
    await drain(dispatch)
    assert sync.portal_statuses(later) == ([1], [])
    for code in (waiting, also):
        assert sync.portal_statuses(code) == ([1, 2], [2])
        assert (await sync.dossier(code))["failures"] == 0


async def test_national_submissions_are_fetched_once_by_the_replica_holding_the_lease(sync: Harness) -> None:
    for name in ("Giàng A Páo", "Lò Thị Mai"):
        submitted = await sync.control.post(
            "/submissions", json={"MaTTHC": PROCEDURE, "ChuHoSo": name, "SoDienThoai": "0912345678"}
        )
        assert submitted.status_code == 201
    replica_a = inbound_job(sync.uow, sync.outbox, sync.portal, sync.settings)
    replica_b = inbound_job(sync.uow, sync.outbox, sync.portal, sync.settings)
    assert await replica_a.run_once() is None
    with pytest.raises(NotLeader):
        await replica_b.run_once()
    assert await replica_a.run_once() is None  # the cursor moved on: nothing is handed over twice
    handed = await sync.events("national.dossier_received.v1")
    assert sorted(e["applicant_name"] for e in handed) == ["Giàng A Páo", "Lò Thị Mai"]
    assert replica_a.lease is not None
    await replica_a.lease.release()  # as when its replica stops: the other one takes over
    assert await replica_b.run_once() is None
    assert len(await sync.events("national.dossier_received.v1")) == 2


async def test_operators_resend_and_reconcile(sync: Harness) -> None:
    synced, refused = new_code(), new_code()
    for code in (synced, refused):
        await sync.open(code)
    await sync.control.post(
        "/faults", json={"MaHoSo": refused, "error_code": "5", "message": "Mã thủ tục không khớp"}
    )
    await sync.record(life(synced, [S.NEW, S.RECEIVED]) + life(refused, [S.NEW, S.RECEIVED]))
    dispatch = Dispatch(sync.uow, sync.portal, sync.settings)
    await drain(dispatch)
    assert sync.portal_statuses(synced) == ([1, 2], [2]) and sync.store.get(refused) is None
    async with sync.uow() as session:
        counts, failing = await operator_views.backlog(session)
        report = await reconcile(session, sync.portal)
    assert counts["pending_changes"] == 2 and counts["by_reason"] == {"rejected": 1}
    assert [d.code for d in failing] == [refused] and "mã lỗi 5" in (failing[0].last_error or "")
    assert (report["dossiers"], report["in_sync"], report["synced_share_percent"]) == (2, 1, 50.0)
    assert report["differences"][0]["code"] == refused and report["differences"][0]["reason"] == "in_backlog"
    # The refused dossier's changes are still pending: a resend queues them for the next round.
    await sync.control.delete("/faults")
    async with sync.uow() as session:
        queued = await operator_views.resend(session, sync.portal, sync.tz, refused)
    assert queued == {"code": refused, "action": "queued", "pending_changes": 2}
    await drain(dispatch)
    assert sync.portal_statuses(refused) == ([1, 2], [2])
    # With nothing pending, a resend sends the current record again.
    async with sync.uow() as session:
        resent = await operator_views.resend(session, sync.portal, sync.tz, synced)
    assert resent["action"] == "resent" and resent["error_code"] == "0"
    assert sync.portal_statuses(synced)[0] == [1, 2, 2]
