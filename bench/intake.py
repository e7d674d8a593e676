"""Intake benchmark: submissions per second with a 1 MiB attachment and their p99 latency, then the
peak resident memory of the intake process while 20 concurrent clients upload 50 MiB files.

Intake runs as its own process (uvicorn, one worker) against a migrated throwaway database, a
throwaway RabbitMQ vhost and a local blob directory; the clients are in this process (httpx).
Memory is read from /proc/<pid>/status (VmRSS sampled every 20 ms, and VmHWM, the kernel's peak).

    .venv/bin/python bench/intake.py [--count 500] [--concurrency 6] [--big-clients 20] [--big-mib 50]
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

import dvc_intake
from dvc_devkit.identity import ISSUER, KeyRing
from dvc_devkit.testing.infra import postgres_database, rabbitmq_vhost

MIGRATIONS = Path(dvc_intake.__file__).parent / "migrations"
PROCEDURE, AGENCY = "1.003560.000.00.00.H56", "000.00.14.H56"
MIB = 1024 * 1024
# Online submission needs a VNeID login: the clients are one signed-in citizen of a local key ring,
# whose JWKS a small HTTP server in this process serves to intake.
KEYS = KeyRing()
CITIZEN = KEYS.citizen("bench-citizen")


def serve_jwks() -> str:
    body = json.dumps(KEYS.jwks_document()).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pdf_of(size: int) -> bytes:
    head = b"%PDF-1.4\n%bench\n"
    return head + os.urandom(size - len(head))


async def add_procedure(db_url: str) -> None:
    engine = create_async_engine(db_url)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO intake_procedure (code, name, agency_id, agency_name, processing_time_value,"
                " processing_time_unit, online_level, revision, signature_required, updated_at)"
                " VALUES (:c, 'Cấp giấy phép xây dựng', :a, 'Sở Xây dựng', 15, 'working_day', 'full', 'b', false, :t)"
            ),
            {"c": PROCEDURE, "a": AGENCY, "t": datetime.now(UTC)},
        )
    await engine.dispose()


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def submit(client: httpx.AsyncClient, body: bytes, name: str = "don.pdf") -> float:
    form = {"procedure_code": PROCEDURE, "applicant_name": "Nguyễn Thị Bình"}
    started = time.perf_counter()
    response = await client.post(
        "/api/v1/dossiers",
        data={"dossier": json.dumps(form, ensure_ascii=False)},
        files=[("files", (name, body, "application/pdf"))],
        headers=CITIZEN,
    )
    if response.status_code != 201:
        raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
    return time.perf_counter() - started


async def throughput(base: str, count: int, concurrency: int) -> tuple[float, float, float]:
    body = pdf_of(MIB)
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        for _ in range(20):  # warm-up (connections, JIT of the pool, first blob directory)
            await submit(client, body)

        async def worker() -> None:
            while not queue.empty():
                queue.get_nowait()
                latencies.append(await submit(client, body))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return count / elapsed, p50, p99


async def big_uploads(base: str, pid: int, clients: int, mib: int) -> tuple[int, int, int, float]:
    body = pdf_of(mib * MIB)
    baseline = memory_kib(pid, "VmRSS")
    peak = baseline
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, memory_kib(pid, "VmRSS"))
            await asyncio.sleep(0.02)

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    async with httpx.AsyncClient(
        base_url=base, timeout=600, limits=httpx.Limits(max_connections=clients)
    ) as c:
        await asyncio.gather(*(submit(c, body, f"lon-{i}.pdf") for i in range(clients)))
    elapsed = time.perf_counter() - started
    done.set()
    await sampler
    return baseline, peak, memory_kib(pid, "VmHWM"), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--big-clients", type=int, default=20)
    parser.add_argument("--big-mib", type=int, default=50)
    args = parser.parse_args()
    with (
        postgres_database("dvc_intake_bench", MIGRATIONS) as db_url,
        rabbitmq_vhost("dvc-bench") as vhost,
        tempfile.TemporaryDirectory() as blobs,
    ):
        asyncio.run(add_procedure(db_url))
        port = free_port()
        env = os.environ | {
            "DVC_INTAKE_DATABASE_URL": db_url,
            "DVC_INTAKE_AMQP_URL": vhost.url,
            "DVC_INTAKE_BLOB_DIR": blobs,
            "DVC_INTAKE_MAX_FILE_BYTES": str((args.big_mib + 1) * MIB),
            "DVC_INTAKE_DB_POOL_SIZE": "8",
            "DVC_INTAKE_LOG_LEVEL": "WARNING",
            "DVC_INTAKE_SCANNER": "none",  # the antivirus is measured on its own, not here
            "DVC_INTAKE_JWKS_URL": serve_jwks(),
            "DVC_INTAKE_TOKEN_ISSUER": ISSUER,
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "dvc_intake.app:app",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("intake did not start")
                time.sleep(0.3)
            rate, p50, p99 = asyncio.run(throughput(base, args.count, args.concurrency))
            print(
                f"submissions with a 1 MiB attachment: {rate:.1f}/s "
                f"(count {args.count}, concurrency {args.concurrency}); "
                f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
            )
            baseline, peak, hwm, elapsed = asyncio.run(
                big_uploads(base, server.pid, args.big_clients, args.big_mib)
            )
            print(
                f"{args.big_clients} concurrent uploads of {args.big_mib} MiB in {elapsed:.1f} s: intake resident "
                f"memory {baseline / 1024:.0f} MiB before, peak {peak / 1024:.0f} MiB sampled "
                f"(VmHWM {hwm / 1024:.0f} MiB over the whole run)"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
