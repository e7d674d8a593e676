"""Sync-national end to end: every status reaches the national portal simulator once, in order, with
the national codes; outages, redeliveries and a bad dossier change nothing of that; a dossier
submitted on the national portal is opened by intake; operators see the backlog and reconcile.

Status changes beyond 1 are published on the test vhost the way workflow will publish them.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import aio_pika
import httpx
import pytest

from dvc_common.events import (
    DOSSIER_CONTACT_REGISTERED,
    DOSSIER_STATUS_CHANGED,
    DOSSIER_SUBMITTED,
    NATIONAL_STATUS_NAMES,
    CloudEvent,
    DossierContactRegistered,
    DossierStatusChanged,
    DossierSubmitted,
    EventType,
    Payload,
    ProcessingStep,
    SubmittedFile,
)
from dvc_devkit.devstack import Stack
from dvc_devkit.identity import KeyRing
from e2e_support import db_scalar, eventually, portal_record

PROCEDURE = "1.003560.000.00.00.H56"
AGENCY = "000.00.14.H56"
ISSUER = "https://dinh-danh.e2e.test"
FULL_LIFE = [1, 2, 4, 5, 4, 9, 10]


# Operator tokens: a local JWKS server with a key generated for this run ------------------------


class _Jwks:
    """The shared stand-in for identity (dvc_devkit.identity.KeyRing) served over HTTP."""

    def __init__(self) -> None:
        self.ring = KeyRing(issuer=ISSUER, kid="e2e-1")
        document = json.dumps(self.ring.jwks_document()).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(document)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"

    def token(self, roles: list[str]) -> str:
        return self.ring.token(*roles, sub="officer-e2e", agency=None, name="Hà Thị Vận Hành", lifetime=1800)


@pytest.fixture(scope="module")
def sync_stack(stack: Stack) -> Iterator[tuple[Stack, _Jwks]]:
    """The stack with sync-national restarted: operator tokens from a local JWKS, short backoff."""
    jwks = _Jwks()
    stack.env.update(
        {
            "DVC_SYNC_NATIONAL_JWKS_URL": jwks.url,
            "DVC_SYNC_NATIONAL_TOKEN_ISSUER": ISSUER,
            "DVC_SYNC_NATIONAL_RETRY_BASE_SECONDS": "0.2",
            "DVC_SYNC_NATIONAL_RETRY_MAX_SECONDS": "2",
            "DVC_SYNC_NATIONAL_INBOUND_POLL_SECONDS": "0.5",
        }
    )
    stack.stop("sync-national")
    stack.start("sync-national")
    yield stack, jwks
    jwks.server.shutdown()


# Driving the dossier's life through the broker -------------------------------------------------


def _event(event_type: EventType[Any], payload: Payload, subject: str, sequence: int) -> CloudEvent:
    return CloudEvent(
        id=uuid.uuid4(),
        type=event_type.ce_type,
        source="dvc-workflow",
        subject=subject,
        time=datetime.now(UTC),
        data=payload.model_dump(mode="json"),
        sequence=sequence,
        correlationid=subject,
    )


def new_code() -> str:
    return f"{AGENCY}-200301-{uuid.uuid4().int % 10000:04d}"


def opening(code: str) -> list[CloudEvent]:
    contact = DossierContactRegistered(
        code=code, applicant_name="Lò Văn Chung", email=None, phone="0912345678"
    )
    submitted = DossierSubmitted(
        code=code,
        procedure_code=PROCEDURE,
        agency_id=AGENCY,
        channel=2,
        applicant_kind=1,
        submitted_at=datetime.now(UTC),
        files=[SubmittedFile(name="don.pdf", content_type="application/pdf", size=10, sha256="0" * 64)],
    )
    return [
        _event(DOSSIER_CONTACT_REGISTERED, contact, code, 1),
        _event(DOSSIER_SUBMITTED, submitted, code, 2),
    ]


def life(code: str, statuses: list[int]) -> list[CloudEvent]:
    start = datetime.now(UTC)
    events = []
    previous: int | None = None
    for position, status in enumerate(statuses):
        step = (
            ProcessingStep(
                officer_name="Trần Thị Bình", officer_position="Chuyên viên", content=f"Bước {position}"
            )
            if status in (2, 4)
            else None
        )
        payload = DossierStatusChanged(
            code=code,
            procedure_code=PROCEDURE,
            agency_id=AGENCY,
            status=status,
            status_name=NATIONAL_STATUS_NAMES[status],
            previous_status=previous,
            changed_at=start + timedelta(minutes=position),
            appointment_at=start + timedelta(days=3) if status == 2 else None,
            step=step,
        )
        events.append(_event(DOSSIER_STATUS_CHANGED, payload, code, position + 1))
        previous = status
    return events


async def _publish(amqp_url: str, events: list[CloudEvent], *, twice: bool = False) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        for event in events:
            from dvc_common.events import BY_TYPE

            event_type = BY_TYPE[event.type]
            exchange = await channel.get_exchange(event_type.exchange)
            for _ in range(2 if twice else 1):
                await exchange.publish(
                    aio_pika.Message(
                        event.model_dump_json().encode(),
                        message_id=str(event.id),
                        content_type="application/cloudevents+json",
                    ),
                    routing_key=event_type.routing_key,
                )


def publish(stack: Stack, events: list[CloudEvent], *, twice: bool = False) -> None:
    asyncio.run(_publish(stack.config.amqp_url, events, twice=twice))


def control(stack: Stack, path: str, body: Any = None, method: str = "POST") -> Any:
    response = httpx.request(
        method, stack.url("sandbox") + "/national-portal/_control" + path, json=body, timeout=10
    )
    response.raise_for_status()
    return response.json()


def statuses(record: dict[str, Any]) -> list[int]:
    return [int(v["record"]["TrangThaiHoSo"]) for v in record["history"]]


def at_status(stack: Stack, code: str, status: int) -> dict[str, Any] | None:
    record = portal_record(stack, code)
    return record if record and int(record["current"]["TrangThaiHoSo"]) == status else None


# The tests -------------------------------------------------------------------------------------


def test_a_full_life_reaches_the_portal_in_order_with_national_codes(sync_stack: tuple[Stack, _Jwks]) -> None:
    stack, _ = sync_stack
    code = new_code()
    publish(stack, opening(code) + life(code, FULL_LIFE))
    eventually(lambda: at_status(stack, code, 10), timeout=60, what="status 10 on the portal")
    time.sleep(0.5)
    record = portal_record(stack, code)
    assert record is not None
    assert statuses(record) == FULL_LIFE
    assert [int(s["step"]["TrangThai"]) for s in record["steps"]] == FULL_LIFE[1:]
    assert record["steps"][0]["step"]["NguoiXuLy"] == "Trần Thị Bình"
    current = record["current"]
    assert current["KenhThucHien"] == 2 and current["LoaiDoiTuong"] == 1
    assert current["ChuHoSo"] == "Lò Văn Chung" and current["MaTTHC"] == PROCEDURE
    for field in ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"):
        assert len(current[field]) == 14 and current[field].isdigit(), field
    assert "NgayTiepNhan" not in record["history"][0]["record"]


def test_outage_then_recovery_delivers_everything_once_in_order(sync_stack: tuple[Stack, _Jwks]) -> None:
    stack, jwks = sync_stack
    codes = [new_code() for _ in range(5)]
    refused = control(stack, "/state", method="GET")["refused_while_down"]
    control(stack, "/outage", {"down": True})
    try:
        publish(stack, [e for code in codes for e in opening(code) + life(code, [1, 2, 4, 9, 10])])
        eventually(
            lambda: control(stack, "/state", method="GET")["refused_while_down"] >= refused + 3,
            what="retries against the unavailable portal",
        )
        backlog = httpx.get(
            stack.url("sync-national") + "/api/v1/sync/backlog",
            headers={"Authorization": f"Bearer {jwks.token(['provincial_operator'])}"},
            timeout=10,
        ).json()
        assert backlog["pending_changes"] >= 5
        on_portal = set(control(stack, "/state", method="GET")["dossiers"])
        assert not on_portal & set(codes)
    finally:
        control(stack, "/outage", {"down": False})
    for code in codes:
        eventually(partial(at_status, stack, code, 10), timeout=60, what=f"{code} after the outage")
    time.sleep(1)
    for code in codes:
        record = portal_record(stack, code)
        assert record is not None
        assert statuses(record) == [1, 2, 4, 9, 10]
        assert [int(s["step"]["TrangThai"]) for s in record["steps"]] == [2, 4, 9, 10]


def test_redelivered_and_reordered_events_do_not_reorder_the_national_record(
    sync_stack: tuple[Stack, _Jwks],
) -> None:
    stack, _ = sync_stack
    code = new_code()
    events = life(code, [1, 2, 4, 9, 10])
    publish(stack, opening(code))
    publish(stack, [events[0], events[2], events[4]], twice=True)  # 1, 4, 10 arrive; 2 and 9 are late
    time.sleep(1.5)
    record = portal_record(stack, code)
    assert record is not None and statuses(record) == [1], "nothing after 1 may go before 2 arrives"
    publish(stack, [events[3], events[1]], twice=True)
    eventually(lambda: at_status(stack, code, 10), timeout=60, what="status 10")
    # A late redelivery of an old change (a new event id for a status long passed) changes nothing.
    stale = events[1].model_copy(update={"id": uuid.uuid4()})
    publish(stack, [stale])
    time.sleep(1.5)
    record = portal_record(stack, code)
    assert record is not None and statuses(record) == [1, 2, 4, 9, 10]


def test_one_bad_dossier_does_not_block_the_others_and_operators_see_it(
    sync_stack: tuple[Stack, _Jwks],
) -> None:
    stack, jwks = sync_stack
    bad, good = new_code(), new_code()
    control(stack, "/faults", {"MaHoSo": bad, "error_code": "5", "message": "Mã thủ tục không khớp"})
    try:
        publish(stack, opening(bad) + opening(good) + life(bad, [1, 2, 4]) + life(good, [1, 2, 4]))
        eventually(lambda: at_status(stack, good, 4), timeout=60, what="the good dossier synced")
        assert portal_record(stack, bad) is None
        auth = {"Authorization": f"Bearer {jwks.token(['provincial_operator'])}"}
        base = stack.url("sync-national") + "/api/v1/sync"

        def failing() -> dict[str, Any] | None:
            found = httpx.get(f"{base}/dossiers/{bad}", headers=auth, timeout=10).json()
            return found if found["failures"] >= 2 else None

        shown = eventually(failing, what="retries of the bad dossier")
        assert "mã lỗi 5" in shown["last_error"] and shown["pending_changes"] == 3
        assert any(a["outcome"] == "rejected" and a["error_code"] == "5" for a in shown["attempts"])
        failures = httpx.get(f"{base}/failures", headers=auth, timeout=10).json()
        assert bad in {f["code"] for f in failures}
        recon = httpx.get(f"{base}/reconciliation", headers=auth, timeout=30).json()
        assert recon["dossiers"] > recon["in_sync"] and 0 < recon["synced_share_percent"] < 100
        assert any(d["code"] == bad and d["kind"] == "missing_on_portal" for d in recon["differences"])
        # Citizens and officers without the operator role are turned away, in Vietnamese.
        denied = httpx.get(
            f"{base}/backlog",
            headers={"Authorization": f"Bearer {jwks.token(['one_stop_officer'])}"},
            timeout=10,
        )
        assert denied.status_code == 403 and denied.json()["title"] == "Không có quyền"
        assert httpx.get(f"{base}/backlog", timeout=10).status_code == 401
        # The operator queues the resend while the portal still refuses the dossier: its three
        # changes are certainly still pending then (only a sync the portal accepts removes them),
        # so the answer does not depend on when the dispatcher's own retry runs.
        resent = httpx.post(f"{base}/dossiers/{bad}/resend", headers=auth, timeout=10).json()
        assert resent["action"] == "queued" and resent["pending_changes"] == 3
    finally:
        control(stack, "/faults", method="DELETE")
    record = eventually(lambda: at_status(stack, bad, 4), timeout=30, what="the bad dossier after the fix")
    assert statuses(record) == [1, 2, 4]


def test_a_dossier_submitted_on_the_national_portal_is_opened_by_intake(
    sync_stack: tuple[Stack, _Jwks],
) -> None:
    stack, _ = sync_stack
    submission = control(
        stack,
        "/submissions",
        {
            "MaTTHC": PROCEDURE,
            "ChuHoSo": "Giàng A Páo",
            "LoaiDoiTuong": 1,
            "SoGiayTo": "011190000123",
            "SoDienThoai": "0987654321",
            "TrichYeuHoSo": "Cấp giấy phép xây dựng nhà ở",
            "TaiLieuNop": [
                {
                    "TenTepDinhKem": "don.pdf",
                    "LoaiTep": "application/pdf",
                    "KichThuoc": 1234,
                    "MaBam": "ab" * 32,
                }
            ],
        },
    )
    reference = submission["MaHoSoQG"]

    def linked() -> str | None:
        found = [s for s in control(stack, "/submissions", method="GET") if s["MaHoSoQG"] == reference]
        return found[0].get("MaHoSo") if found else None

    code = eventually(linked, timeout=60, what="the national dossier back on the portal with our code")
    detail = httpx.get(stack.url("intake") + f"/api/v1/dossiers/{code}", timeout=10).json()
    assert detail["status"] == 1 and detail["channel"] == 2
    # Anonymous readers see no file names (issue 16): intake's own record has the file.
    assert detail["files"] == []
    stored = db_scalar(
        stack, "intake", "SELECT string_agg(name, ',') FROM intake_dossier_file WHERE dossier_code = $1", code
    )
    assert stored == "don.pdf"
    record = portal_record(stack, code)
    assert record is not None and record["current"]["MaHoSoQG"] == reference
    assert record["current"]["TrangThaiHoSo"] == 1


def test_the_dvc_sync_command_shows_a_dossier_and_the_backlog(sync_stack: tuple[Stack, _Jwks]) -> None:
    import subprocess
    import sys
    from pathlib import Path

    stack, jwks = sync_stack
    code = new_code()
    publish(stack, opening(code) + life(code, [1, 2]))
    eventually(lambda: at_status(stack, code, 2), timeout=60, what="status 2 on the portal")
    dvc = str(Path(sys.executable).parent / "dvc")
    env = {
        "DVC_SYNC_NATIONAL_URL": stack.url("sync-national"),
        "DVC_TOKEN": jwks.token(["provincial_operator"]),
    }
    shown = subprocess.run(
        [dvc, "sync", "show", code], capture_output=True, text=True, env={**stack.env, **env}, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    state = json.loads(shown.stdout)
    assert state["synced_status"] == 2 and state["synced_status_name"] == "Được tiếp nhận"
    assert [c["state"] for c in state["changes"]] == ["synced", "synced"]
    backlog = subprocess.run(
        [dvc, "sync", "backlog"], capture_output=True, text=True, env={**stack.env, **env}, timeout=60
    )
    assert backlog.returncode == 0 and "pending_changes" in json.loads(backlog.stdout)
    denied = subprocess.run(
        [dvc, "sync", "backlog"],
        capture_output=True,
        text=True,
        env={**stack.env, **env, "DVC_TOKEN": jwks.token(["auditor"])},
        timeout=60,
    )
    assert denied.returncode == 1 and "Không có quyền" in denied.stderr
