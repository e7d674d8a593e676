"""Benchmark of workflow: lifecycle transitions per second and the officer work-queue query under load.

Run: ``python bench/workflow.py [--dossiers 1000000] [--transitions 2000] [--queries 1000]`` (from the
repository root, in the project's virtualenv; PostgreSQL on 127.0.0.1). A throw-away database is
created and dropped. ``--dossiers`` rows are generated with one ``INSERT … SELECT generate_series``
(spread over 40 agencies and 4,000 officers, 70 % still in a queue), then the work-queue query
(first page and a cursor page, for "mine", "department" and "agency") is timed and its plan shown:
it must use the partial queue indexes and never count rows (target p99 < 50 ms). Transitions go
through the real use-case (row lock, working-time engine, history, audit chain, outbox) with a few
concurrent workers.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

import dvc_workflow
from dvc_common.db import unit_of_work
from dvc_common.events import DossierSubmitted
from dvc_common.outbox import Outbox
from dvc_common.principal import Principal
from dvc_common.worktime import load_calendar
from dvc_devkit.testing.infra import postgres_database
from dvc_workflow import service
from dvc_workflow.domain.catalog import load_catalog
from dvc_workflow.domain.lifecycle import Action
from dvc_workflow.settings import SEED_CATALOG

MIGRATIONS = Path(dvc_workflow.__file__).parent / "migrations"
AGENCIES = 40
OFFICERS = 4000
DEPARTMENTS = 5
WORKERS = 4

GENERATE = """
INSERT INTO workflow_dossier (code, procedure_code, agency_id, status, version, submitted_at, updated_at,
  channel, step_id, assignee_subject, assignee_name, assignee_department, due_at, appointment_at,
  received_at, in_queue, clock, step_due_at)
SELECT 'B' || lpad(agency::text, 2, '0') || '-' || lpad(i::text, 8, '0'),
       '1.003560.000.00.00.H56', 'A' || lpad(agency::text, 2, '0'),
       (ARRAY[1,2,4,4,4,6,9,10,10,3])[1 + r % 10], 1, t0 - (r % 5000) * interval '1 hour', t0,
       2, 'xu-ly', 'officer-' || (r / 10 % :officers), 'Cán bộ ' || (r / 10 % :officers),
       'Phòng ' || (r / 100000 % :departments), t0 + (r % 100000) * interval '1 minute',
       t0 + (r % 100000) * interval '1 minute', t0 - interval '3 days',
       r % 10 < 7, CAST('[]' AS json), t0 + (r % 100000) * interval '1 minute'
FROM (SELECT i, i % :agencies AS agency, abs(hashint8(i)) AS r, CAST(:t0 AS timestamptz) AS t0
      FROM generate_series(1::bigint, :n) AS i) AS s
"""


async def generate(url: str, n: int) -> float:
    engine = create_async_engine(url, pool_size=1)
    started = time.perf_counter()
    async with engine.begin() as conn:
        await conn.execute(
            text(GENERATE),
            {
                "n": n,
                "agencies": AGENCIES,
                "officers": OFFICERS,
                "departments": DEPARTMENTS,
                "t0": datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
            },
        )
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE workflow_dossier"))
    await engine.dispose()
    return time.perf_counter() - started


async def queue_latency(url: str, queries: int) -> None:
    engine = create_async_engine(url, pool_size=2)
    uow = unit_of_work(engine)
    ctx = service.Context(Outbox(source="bench"), load_calendar("lai-chau"))
    rng = random.Random(7)
    now = datetime(2026, 3, 20, 2, 0, tzinfo=UTC)
    timings: dict[str, list[float]] = {"mine": [], "department": [], "agency": []}
    for i in range(queries):
        scope = ("mine", "department", "agency")[i % 3]
        agency = rng.randrange(AGENCIES)
        actor = Principal(
            subject=f"officer-{rng.randrange(OFFICERS)}",
            kind="officer",
            agency_id=f"A{agency:02d}",
            roles=frozenset({"processing_officer"}),
        )
        department = f"Phòng {rng.randrange(DEPARTMENTS)}"
        cursor = None
        for _page in range(2):  # first page, then the page behind its cursor
            started = time.perf_counter()
            async with uow() as session:
                _, cursor = await service.work_queue(
                    session,
                    ctx,
                    actor,
                    scope=scope,  # type: ignore[arg-type]
                    department=department,
                    status=None,
                    procedure_code=None,
                    cursor=cursor,
                    limit=50,
                    now=now,
                )
            timings[scope].append((time.perf_counter() - started) * 1000)
            if cursor is None:
                break
    everything = [t for values in timings.values() for t in values]
    for scope, values in (*timings.items(), ("all", everything)):
        values.sort()
        p99 = values[int(len(values) * 0.99) - 1]
        print(
            f"work queue {scope:<10} {len(values):>5} queries  p50 {statistics.median(values):6.2f} ms"
            f"  p99 {p99:6.2f} ms"
        )
    async with engine.connect() as conn:
        plan = await conn.execute(
            text(
                "EXPLAIN SELECT * FROM workflow_dossier WHERE in_queue AND agency_id = 'A07'"
                " AND assignee_department = 'Phòng 2' ORDER BY due_at, code LIMIT 51"
            )
        )
        print("plan (department):", " | ".join(r[0].strip() for r in plan)[:240])
        plan = await conn.execute(
            text(
                "EXPLAIN SELECT * FROM workflow_dossier WHERE in_queue AND assignee_subject = 'officer-9'"
                " AND (due_at, code) > ('2026-03-10', 'B') ORDER BY due_at, code LIMIT 51"
            )
        )
        print("plan (mine, cursor):", " | ".join(r[0].strip() for r in plan)[:240])
    await engine.dispose()


async def transitions(url: str, count: int) -> None:
    engine = create_async_engine(url, pool_size=WORKERS + 1)
    uow = unit_of_work(engine)
    calendar = load_calendar("lai-chau")
    outbox = Outbox(source="dvc-workflow")
    ctx = service.Context(outbox, calendar)
    async with uow() as session:
        await service.publish_catalog(session, outbox, load_catalog(SEED_CATALOG))
    now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    codes = []
    for i in range(count // 2):
        code = f"000.00.14.H56-260302-{i:07d}"
        payload = DossierSubmitted(
            code=code,
            procedure_code="1.003560.000.00.00.H56",
            agency_id="000.00.14.H56",
            channel=2,
            applicant_kind=1,
            submitted_at=now,
            files=[],
        )
        async with uow() as session:
            await service.open_dossier(session, ctx, payload, correlation_id=code)
        codes.append(code)
    officer = Principal(
        subject="bench-officer",
        kind="officer",
        name="Cán bộ đo",
        agency_id="000.00.14.H56",
        roles=frozenset({"one_stop_officer", "processing_officer", "department_head", "agency_leader"}),
    )
    queue: asyncio.Queue[str] = asyncio.Queue()
    for code in codes:
        queue.put_nowait(code)
    latencies: list[float] = []

    async def worker() -> None:
        while not queue.empty():
            code = queue.get_nowait()
            for action in (Action.ACCEPT, Action.FORWARD):
                started = time.perf_counter()
                async with uow() as session:
                    await service.transition(
                        session, ctx, code, action, officer, service.ActionRequest(), now + timedelta(hours=1)
                    )
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(WORKERS)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    print(
        f"transitions: {len(latencies)} in {elapsed:.1f} s = {len(latencies) / elapsed:,.0f} /s"
        f" ({WORKERS} workers; p50 {statistics.median(latencies):.1f} ms,"
        f" p99 {latencies[int(len(latencies) * 0.99) - 1]:.1f} ms; each with lock, engine, history,"
        " audit chain and outbox)"
    )
    async with uow() as session:
        verdict = await service.verify_audit(session)
    print(f"audit chain after the run: {'intact' if verdict.ok else 'BROKEN'} ({verdict.checked} entries)")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--transitions", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    with postgres_database("dvc_workflow_bench", MIGRATIONS) as url:
        seconds = asyncio.run(generate(url, args.dossiers))
        print(
            f"generated {args.dossiers:,} dossiers in {seconds:.1f} s (one INSERT … SELECT generate_series)"
        )
        asyncio.run(transitions(url, args.transitions))
        asyncio.run(queue_latency(url, args.queries))


if __name__ == "__main__":
    main()
