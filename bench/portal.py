"""Portal benchmark: the pages people open, with 100,000 dossiers in the services' databases.

The real stack as processes (portal, identity, workflow, intake and the sandbox; own
databases and RabbitMQ vhost, dropped afterwards). One dossier is submitted through intake and
received by an officer through workflow, then cloned in bulk (``INSERT … SELECT generate_series``)
in workflow's and intake's tables that hang off a dossier code, so every page reads real rows of
the real schema. Then, over real HTTP:

- officers: ``--officers`` signed-in portal sessions (through the sign-in form), each loading the
  agency work queue and a random dossier page in turn (target p99 < 300 ms);
- visitors: ``--visitors`` anonymous browsers, each loading the public look-up page of a random
  dossier and a procedure search in turn (target p99 < 200 ms).

The public look-up's per-address limit is raised for the run (every visitor is 127.0.0.1 here).

    .venv/bin/python bench/portal.py [--dossiers 100000] [--officers 20] [--visitors 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import httpx

from dvc_common.db import drop_database
from dvc_devkit.devstack import Stack, StackConfig, env_prefix, reserve_port_offset
from dvc_devkit.testing.infra import rabbitmq_vhost, run_id

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "browser"), str(REPO / "tests" / "e2e")]
from portal_browser import Accounts, act, citizen_token, officer_token, submit_as  # noqa: E402

SERVICES = ("portal", "identity", "workflow", "intake")
SEARCH = "cap giay phep xay dung"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def clone_code(template: str) -> str:
    """SQL for the n-th clone's code: the template's agency, a day counted back from 01/01/2025,
    a number within the day (codes keep the national format `<agency>-<yymmdd>-<nnnn>`)."""
    agency = template.rsplit("-", 2)[0]
    return (
        f"'{agency}-' || to_char(date '2025-01-01' - (n / 9000), 'YYMMDD')"
        " || '-' || lpad((n % 9000 + 1)::text, 4, '0')"
    )


async def clone(database_url: str, template: str, count: int) -> dict[str, int]:
    """Copy every row that belongs to the template dossier `count` times, in each table whose rows
    hang off a dossier code (`code` in the dossier table, `dossier_code` elsewhere). Generated keys
    are left to their defaults, other uuid keys drawn anew; audit chains are not copied (they are
    hash-linked); the event a row came from is given a fresh id too. A table whose other unique keys refuse copies is skipped and reported."""
    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    copied: dict[str, int] = {}
    try:
        columns = await conn.fetch(
            "SELECT c.table_name, c.column_name, c.data_type, c.column_default, c.is_identity,"
            " EXISTS (SELECT 1 FROM information_schema.key_column_usage k"
            "   JOIN information_schema.table_constraints t USING (constraint_name, table_name)"
            "   WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name"
            "   AND k.column_name = c.column_name) AS primary_key"
            " FROM information_schema.columns c WHERE c.table_schema = 'public'"
            " ORDER BY c.table_name, c.ordinal_position"
        )
        tables: dict[str, list[asyncpg.Record]] = {}
        for column in columns:
            tables.setdefault(column["table_name"], []).append(column)
        code = clone_code(template)
        for table, cols in tables.items():
            names = {c["column_name"] for c in cols}
            key = (
                "dossier_code" if "dossier_code" in names else "code" if table.endswith("_dossier") else None
            )
            if key is None or "audit" in table:
                continue
            kept, values = [], []
            for c in cols:
                name, default = c["column_name"], c["column_default"] or ""
                if c["is_identity"] == "YES" or default.startswith("nextval("):
                    continue
                kept.append(f'"{name}"')
                if name == key:
                    values.append(code)
                elif c["data_type"] == "uuid" and c["primary_key"]:
                    values.append("gen_random_uuid()")
                elif name.endswith("event_id"):  # one source event per row (unique)
                    values.append(
                        "gen_random_uuid()" if c["data_type"] == "uuid" else "gen_random_uuid()::text"
                    )
                elif table.endswith("_dossier") and name == "due_at":
                    values.append(f"\"{name}\" + (n % 5000) * interval '3 minutes'")
                else:
                    values.append(f'"{name}"')
            statement = (
                f'INSERT INTO "{table}" ({", ".join(kept)}) SELECT {", ".join(values)}'
                f' FROM "{table}", generate_series(1, $2) AS n WHERE "{key}" = $1'
            )
            try:
                async with conn.transaction():
                    done = await conn.execute(statement, template, count)
                copied[table] = int(done.split()[-1])
            except asyncpg.PostgresError as exc:
                print(f"  {table}: not copied ({type(exc).__name__}: {exc})")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return copied


async def sign_in(client: httpx.AsyncClient, username: str, password: str) -> None:
    form = await client.get("/can-bo/dang-nhap")
    token = CSRF.search(form.text)
    assert token, "the sign-in form has its CSRF token"
    answer = await client.post(
        "/can-bo/dang-nhap", data={"username": username, "password": password, "csrf_token": token.group(1)}
    )
    assert "Hồ sơ cần xử lý" in answer.text, answer.text[:500]


Page = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def load(
    clients: list[httpx.AsyncClient], pages: dict[str, Page], seconds: float
) -> dict[str, list[float]]:
    """Each client loads the pages in turn, as fast as answers come, for `seconds`."""
    times: dict[str, list[float]] = {name: [] for name in pages}
    failures: list[str] = []
    end = time.perf_counter() + seconds

    async def visitor(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < end:
            for name, page in pages.items():
                started = time.perf_counter()
                response = await page(client)
                times[name].append(time.perf_counter() - started)
                if response.status_code != 200:
                    failures.append(f"{name}: {response.status_code}")

    await asyncio.gather(*(visitor(c) for c in clients))
    if failures:
        print(f"  {len(failures)} answers other than 200, e.g. {failures[:3]}")
    return times


def report(title: str, times: dict[str, list[float]], seconds: float, target_ms: float) -> None:
    print(title)
    for name, samples in times.items():
        ms = sorted(t * 1000 for t in samples)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        verdict = "ok" if p99 < target_ms else "OVER TARGET"
        print(
            f"  {name:<28} {len(ms):>6} pages  {len(ms) / seconds:>7.1f}/s  p50 {statistics.median(ms):>6.1f} ms"
            f"  p95 {ms[int(len(ms) * 0.95)]:>6.1f} ms  p99 {p99:>6.1f} ms  max {ms[-1]:>7.1f} ms"
            f"  (target p99 < {target_ms:.0f} ms: {verdict})"
        )


async def measure(
    stack: Stack, args: argparse.Namespace, codes: list[str], username: str, password: str
) -> None:
    base = stack.url("portal")
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)  # one browser connection
    officers = [
        httpx.AsyncClient(base_url=base, timeout=60, limits=limits, follow_redirects=True)
        for _ in range(args.officers)
    ]
    visitors = [httpx.AsyncClient(base_url=base, timeout=60, limits=limits) for _ in range(args.visitors)]
    try:
        for client in officers:
            await sign_in(client, username, password)
        pages: dict[str, Page] = {
            "work queue (agency)": lambda c: c.get("/can-bo/ho-so", params={"scope": "agency"}),
            "dossier page": lambda c: c.get(f"/can-bo/ho-so/{random.choice(codes)}"),
        }
        await load(officers[:2], pages, 2)  # warm-up (connection pools, caches)
        report(
            f"{args.officers} signed-in officers, {args.seconds:.0f} s:",
            await load(officers, pages, args.seconds),
            args.seconds,
            300,
        )
        public: dict[str, Page] = {
            "public look-up /tra-cuu/{code}": lambda c: c.get(f"/tra-cuu/{random.choice(codes)}"),
            "procedure search": lambda c: c.get("/", params={"q": SEARCH}),
        }
        await load(visitors[:2], public, 2)
        report(
            f"{args.visitors} anonymous visitors, {args.seconds:.0f} s:",
            await load(visitors, public, args.seconds),
            args.seconds,
            200,
        )
    finally:
        for client in officers + visitors:
            await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    suffix = f"_benchportal_{run_id()}"
    with rabbitmq_vhost("dvc-bench-portal") as vhost, tempfile.TemporaryDirectory() as var:
        config = StackConfig(
            database_suffix=suffix,
            vhost=vhost.name,
            port_offset=reserve_port_offset(SERVICES, what="portal benchmark stack"),
            var_dir=Path(var),
            services=SERVICES,
            extra_env={
                "DVC_INTAKE_LOOKUP_PER_MINUTE": "100000000",
                "DVC_WORKFLOW_LOOKUP_PER_MINUTE": "100000000",
                **{env_prefix(s) + "DB_POOL_SIZE": "10" for s in SERVICES},
            },
        )
        stack = Stack(config)
        try:
            print("starting the stack …")
            stack.up()
            accounts = Accounts(stack)
            officer = accounts.officer(
                "bench.motcua",
                "Lò Văn Tâm",
                "Công chức Bộ phận Một cửa",
                ["one_stop_officer", "processing_officer"],
            )
            template = submit_as(stack, citizen_token(stack, "012345678901"), "Nguyễn Thị Bình")
            act(stack, officer_token(stack, officer), template, "accept", {"expected_status": 1})
            started = time.perf_counter()
            print(f"cloning dossier {template} {args.dossiers:,} times …")
            for service in ("workflow", "intake"):
                copied = asyncio.run(clone(config.database_url(service), template, args.dossiers))
                print(f"  {service}: " + ", ".join(f"{t} +{n:,}" for t, n in copied.items()))
            print(f"  seeded in {time.perf_counter() - started:.1f} s")
            codes = [template] + [
                f"{template.rsplit('-', 2)[0]}-{_day(n)}-{n % 9000 + 1:04d}"
                for n in random.sample(range(1, args.dossiers + 1), min(5000, args.dossiers))
            ]
            asyncio.run(measure(stack, args, codes, officer.username, officer.password))
            accounts.identity.close()
        finally:
            stack.down()
            for service in SERVICES:
                asyncio.run(drop_database(config.database_url(service)))


def _day(n: int) -> str:
    from datetime import date, timedelta

    return (date(2025, 1, 1) - timedelta(days=n // 9000)).strftime("%y%m%d")


if __name__ == "__main__":
    main()
