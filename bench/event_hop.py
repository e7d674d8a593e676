"""Benchmark of one event hop: use-case commit → outbox → relay → RabbitMQ → consumer commit.

(One file of ~600 lines on purpose: the full hop, the bare-FastStream baseline and the two-process
harness must run under the same conditions, and the consumer child is spawned from this script.)

Run: ``python bench/event_hop.py`` (from the repository root, in the project's virtualenv, with the
dev PostgreSQL on 127.0.0.1:5432 and RabbitMQ on 127.0.0.1:5672 running; needs `rabbitmqctl`).

What runs
---------
FULL HOP, built from the platform's own pieces (`ServiceRuntime` with its OpenTelemetry and
Prometheus broker middlewares, `Outbox.add`, the real `OutboxRelay` task, `dvc_common.consumers.subscribe`):

- the *producer service* commits one `dossier.status_changed` event per transaction through
  `runtime.transaction()` + `runtime.outbox.add` (exactly what a use-case does; the unit of work
  wakes the relay after commit), and its relay publishes with publisher confirms to `dvc.events`;
- the *consumer service* has a quorum queue declared by `declare_topology` and a subscriber
  registered by `subscribe` (CloudEvent parse, the typed payload parsed for the routing key, inbox
  claim + a trivial handler in one DB transaction, ack after commit). Like every real service it also runs its own (idle) relay.

Each service has its own per-run database (platform tables only, from `PLATFORM_MIGRATIONS`) and
both share one per-run RabbitMQ vhost; all three are removed at the end, also on failure.

By default the two services run in **two processes** (the consumer in a `multiprocessing` spawn
child), as they do in production: on this 2-core machine one asyncio process would make the relay
and the consumer share one core and the GIL, which measures Python scheduling more than the hop.
It costs little: the child reports (event id → times) over a pipe after each phase.
``--single-process`` runs both services in one asyncio loop for comparison.

Latency per event = consumer commit time − producer commit time, both from ``time.monotonic()``
(CLOCK_MONOTONIC is system-wide on Linux, so the two processes share the clock). The consumer also
stamps when its transaction opens (≈ delivery), which splits the hop into
"commit → delivered" (relay + broker) and "delivered → commit" (consumer's inbox transaction).

Phases:
1. warm-up (discarded);
2. saturation: ``--events`` events committed as fast as ``--producers`` concurrent use-cases can;
   throughput = events / (last consumer commit − first producer commit start);
3. paced: for each ``--rate``, ``rate × --seconds`` events from one use-case on a fixed schedule;
   p50/p99/max of the latency.

BASELINE, no database: a bare FastStream `RabbitBroker` (no middlewares) publishes the same JSON
body (same size) with `await broker.publish(...)` one at a time (confirms on, FastStream's default)
and a bare subscriber in the consumer process receives it; latency = receipt − publish call.
Two variants: FastStream defaults (classic transient queue, non-persistent message) and the
platform's durability (quorum queue, persistent message), which separates the broker's durability
cost from the database/outbox cost.

The dev machine is shared (2 cores, other services and test runs): the script prints the load
average at start and end, and pg_stat_database transactions per event; compare runs at similar load.

Targets (from the issue): full hop ≥ 500 events/s at saturation, p99 < 50 ms at 200 events/s.
The script prints PASS/FAIL per target and exits 0 on a miss; only a crash exits non-zero.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import multiprocessing as mp
import os
import queue as queue_module
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
from faststream.rabbit import QueueType, RabbitBroker, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from dvc_common.consumers import Consumer, EventMeta, on
from dvc_common.events import CONTENT_TYPE, DOSSIER_STATUS_CHANGED, CloudEvent, DossierStatusChanged
from dvc_common.runtime import ServiceRuntime
from dvc_common.settings import ServiceSettings
from dvc_common.topology import QueueSpec
from dvc_devkit.testing.infra import PLATFORM_MIGRATIONS, postgres_database, rabbitmq_vhost

CONSUMER_QUEUE = QueueSpec.for_events("bench.dossier-status", DOSSIER_STATUS_CHANGED)
BARE_QUEUE = "bench.bare"
BARE_QUORUM_QUEUE = "bench.bare-quorum"
TARGET_RATE = 500.0  # events/s through the full hop
TARGET_P99_MS = 50.0  # at 200 events/s
TARGET_P99_RATE = 200
STATS_FLUSH_SECONDS = 1.2
COLLECT_IDLE_SECONDS = 15.0  # give up on missing events after this long without progress

Stamps = dict[str, tuple[float, float]]  # event id → (delivered, done)


# --------------------------------------------------------------------------- consumer service


_claimed: contextvars.ContextVar[list[str]] = contextvars.ContextVar("bench_claimed")


class StampingRuntime(ServiceRuntime):
    """The platform runtime, with the unit of work stamping when it opens and after it commits."""

    stamps: Stamps

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        opened = time.monotonic()
        claimed: list[str] = []
        token = _claimed.set(claimed)
        try:
            async with super().transaction() as session:
                yield session
        finally:
            _claimed.reset(token)
        committed = time.monotonic()
        for event_id in claimed:
            self.stamps[event_id] = (opened, committed)


async def trivial_handler(session: AsyncSession, meta: EventMeta, changed: DossierStatusChanged) -> None:
    """A use-case that does nothing but note which event its transaction carries."""
    with_claimed = _claimed.get(None)
    if with_claimed is not None:
        with_claimed.append(str(meta.id))


def settings_for(name: str, database_url: str, amqp_url: str) -> ServiceSettings:
    return ServiceSettings(
        service_name=name,
        database_url=database_url,
        amqp_url=amqp_url,
        log_level="WARNING",
        log_json=False,
    )


class ConsumerSide:
    """The consumer service plus the bare subscribers; lives in the child process (or in-process)."""

    def __init__(self, database_url: str, amqp_url: str, *, relay: bool) -> None:
        self._relay = relay
        self.runtime = StampingRuntime(
            settings_for("bench-consumer", database_url, amqp_url),
            [Consumer.of(CONSUMER_QUEUE, on(DOSSIER_STATUS_CHANGED, trivial_handler))],
        )
        self.runtime.stamps = {}
        self.bare_stamps: Stamps = {}
        self.bare = RabbitBroker(amqp_url, logger=None)

        async def on_bare(msg: RabbitMessage) -> None:
            received = time.monotonic()
            self.bare_stamps[json.loads(msg.body)["id"]] = (received, received)

        self.bare.subscriber(RabbitQueue(BARE_QUEUE))(on_bare)
        self.bare.subscriber(RabbitQueue(BARE_QUORUM_QUEUE, queue_type=QueueType.QUORUM, durable=True))(
            on_bare
        )

    async def start(self) -> None:
        await self.runtime.start(relay=self._relay)
        await self.bare.start()

    async def stop(self) -> None:
        await self.bare.stop()
        await self.runtime.stop()

    async def collect(self, kind: str, expected: int) -> Stamps:
        """Wait until `expected` events arrived (or progress stalls), hand them over and reset."""
        stamps = self.runtime.stamps if kind == "full" else self.bare_stamps
        seen, last_progress = -1, time.monotonic()
        while len(stamps) < expected and time.monotonic() - last_progress < COLLECT_IDLE_SECONDS:
            if len(stamps) != seen:
                seen, last_progress = len(stamps), time.monotonic()
            await asyncio.sleep(0.01)
        result = dict(stamps)
        stamps.clear()
        return result


def consumer_process(database_url: str, amqp_url: str, relay: bool, commands: Any, replies: Any) -> None:
    """Child process: run the consumer side and answer `collect` commands until `stop`."""

    async def serve() -> None:
        side = ConsumerSide(database_url, amqp_url, relay=relay)
        await side.start()
        replies.put(("ready", os.getpid()))
        try:
            while True:
                command = await asyncio.to_thread(commands.get)
                if command[0] == "stop":
                    break
                _, kind, expected = command
                replies.put(("stamps", await side.collect(kind, expected)))
        finally:
            await side.stop()

    asyncio.run(serve())


class RemoteConsumer:
    """Parent-side handle of the child process."""

    def __init__(self, database_url: str, amqp_url: str, *, relay: bool) -> None:
        ctx = mp.get_context("spawn")
        self._commands = ctx.Queue()
        self._replies = ctx.Queue()
        self._process = ctx.Process(
            target=consumer_process,
            args=(database_url, amqp_url, relay, self._commands, self._replies),
            name="bench-consumer",
            daemon=True,
        )

    async def _reply(self, within: float) -> Any:
        deadline = time.monotonic() + within
        while True:
            try:
                return await asyncio.to_thread(self._replies.get, True, 1.0)
            except queue_module.Empty:
                if not self._process.is_alive():
                    raise RuntimeError(f"consumer process died (exit {self._process.exitcode})") from None
                if time.monotonic() > deadline:
                    raise TimeoutError("consumer process did not answer") from None

    async def start(self) -> None:
        self._process.start()
        kind, _pid = await self._reply(120)
        assert kind == "ready"

    async def collect(self, kind: str, expected: int) -> Stamps:
        self._commands.put(("collect", kind, expected))
        reply_kind, stamps = await self._reply(600)
        assert reply_kind == "stamps"
        return dict(stamps)

    async def stop(self) -> None:
        if self._process.is_alive():
            self._commands.put(("stop",))
            await asyncio.to_thread(self._process.join, 30)
        if self._process.is_alive():
            self._process.kill()
            await asyncio.to_thread(self._process.join, 5)


# --------------------------------------------------------------------------- measurements


@dataclass
class Result:
    label: str
    sent: int
    received: int
    seconds: float  # first send → last consumer commit
    send_seconds: float  # first send → last send/commit on the producer side
    latencies_ms: list[float] = field(default_factory=list)
    delivered_ms: list[float] = field(default_factory=list)  # producer commit → consumer tx opens
    db_tx: tuple[int, int] | None = None  # transactions committed in (producer, consumer) database

    @property
    def rate(self) -> float:
        return self.received / self.seconds if self.seconds > 0 else 0.0

    @property
    def send_rate(self) -> float:
        return self.sent / self.send_seconds if self.send_seconds > 0 else 0.0

    def pct(self, q: float, values: list[float] | None = None) -> float:
        data = sorted(self.latencies_ms if values is None else values)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, int(q * len(data)))]


def payload(i: int) -> Any:
    example = DOSSIER_STATUS_CHANGED.example
    status = 1 + i % 10
    return example.model_copy(
        update={
            "code": f"000.00.14.H56-260223-{i % 10_000:04d}",
            "status": status,
            "previous_status": None if status == 1 else status - 1,
            "changed_at": datetime.now(UTC),
        }
    )


def subject_of(i: int) -> str:
    return f"000.00.14.H56-260223-{i % 1000:04d}"


def summarise(label: str, sent: dict[str, float], stamps: Stamps, started: float, sent_done: float) -> Result:
    latencies = [(done - sent[k]) * 1000 for k, (_, done) in stamps.items() if k in sent]
    delivered = [(opened - sent[k]) * 1000 for k, (opened, _) in stamps.items() if k in sent]
    last = max((done for _, done in stamps.values()), default=started)
    return Result(
        label=label,
        sent=len(sent),
        received=len(latencies),
        seconds=last - started,
        send_seconds=sent_done - started,
        latencies_ms=latencies,
        delivered_ms=delivered,
    )


Collect = Callable[[str, int], Awaitable[Stamps]]


async def full_hop(
    runtime: ServiceRuntime, collect: Collect, label: str, *, events: int, producers: int, rate: float
) -> Result:
    """Commit `events` events (concurrently, or one use-case paced at `rate`), wait for all of them."""
    sent: dict[str, float] = {}

    async def use_case(i: int) -> None:
        async with runtime.transaction() as session:
            event = await runtime.outbox.add(
                session, DOSSIER_STATUS_CHANGED, payload(i), subject=subject_of(i)
            )
        sent[str(event.id)] = time.monotonic()

    started = time.monotonic()
    if rate > 0:
        for i in range(events):
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await use_case(i)
    else:

        async def worker(first: int) -> None:
            for i in range(first, events, producers):
                await use_case(i)

        await asyncio.gather(*(worker(k) for k in range(producers)))
    sent_done = time.monotonic()
    stamps = await collect("full", events)
    return summarise(label, sent, stamps, started, sent_done)


async def bare_hop(
    broker: RabbitBroker, collect: Collect, label: str, *, queue: str, events: int, rate: float
) -> Result:
    """Bare FastStream: publish the same JSON body, one awaited publish at a time."""
    durable = queue == BARE_QUORUM_QUEUE
    template = json.loads(sample_body())
    sent: dict[str, float] = {}
    started = time.monotonic()
    for i in range(events):
        if rate > 0:
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        event_id = str(uuid.uuid4())
        body = json.dumps({**template, "id": event_id}, ensure_ascii=False).encode()
        sent[event_id] = time.monotonic()
        await broker.publish(
            body, queue=queue, message_id=event_id, content_type=CONTENT_TYPE, persist=durable
        )
    sent_done = time.monotonic()
    stamps = await collect("bare", events)
    return summarise(label, sent, stamps, started, sent_done)


def sample_body() -> str:
    """The JSON body the relay publishes for one event (same shape and size as the full hop's)."""
    event = CloudEvent(
        id=uuid.uuid4(),
        type=DOSSIER_STATUS_CHANGED.ce_type,
        source="dvc-bench-producer",
        subject=subject_of(1),
        time=datetime.now(UTC),
        data=payload(1).model_dump(mode="json"),
        sequence=1,
        correlationid=subject_of(1),
        traceparent="00-" + "a" * 32 + "-" + "b" * 16 + "-01",
    )
    return event.model_dump_json()


async def xact_commits(url: str) -> int:
    """Transactions committed in the database so far (PostgreSQL's cumulative statistics)."""
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        return int(
            await conn.fetchval("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
        )
    finally:
        await conn.close()


async def count_db_tx(urls: tuple[str, str], phase: Awaitable[Result]) -> Result:
    """Run a full-hop phase and attach the number of transactions each database committed."""
    await asyncio.sleep(STATS_FLUSH_SECONDS)
    before = [await xact_commits(url) for url in urls]
    result = await phase
    await asyncio.sleep(STATS_FLUSH_SECONDS)  # backends flush their statistics about once a second
    after = [await xact_commits(url) for url in urls]
    result.db_tx = (after[0] - before[0] - 1, after[1] - before[1] - 1)
    return result


async def outbox_body_size(runtime: ServiceRuntime) -> int:
    async with runtime.engine.connect() as conn:
        return int(
            (await conn.execute(text("SELECT avg(length(body::text)) FROM outbox_message"))).scalar_one()
        )


# --------------------------------------------------------------------------- orchestration


async def run(args: argparse.Namespace, producer_db: str, consumer_db: str, amqp_url: str) -> list[Result]:
    consumer: RemoteConsumer | ConsumerSide
    if args.single_process:
        consumer = ConsumerSide(consumer_db, amqp_url, relay=not args.no_consumer_relay)
    else:
        consumer = RemoteConsumer(consumer_db, amqp_url, relay=not args.no_consumer_relay)
    # The consumer side declares its queue and bindings first, so no published event is unroutable.
    await consumer.start()
    producer = ServiceRuntime(settings_for("bench-producer", producer_db, amqp_url))
    await producer.start()
    bare = RabbitBroker(amqp_url, logger=None)
    await bare.start()
    results: list[Result] = []
    try:
        warm = await full_hop(
            producer, consumer.collect, "warm-up", events=200, producers=args.producers, rate=0
        )
        if warm.received < warm.sent:
            raise RuntimeError(f"warm-up lost events: {warm.received}/{warm.sent}")
        print(f"  payload: {await outbox_body_size(producer)} bytes of JSON per event", flush=True)

        def log(result: Result) -> None:
            print(
                f"  done: {result.label:<38} {result.received}/{result.sent} events in {result.seconds:.1f} s",
                flush=True,
            )
            results.append(result)

        dbs = (producer_db, consumer_db)
        log(
            await count_db_tx(
                dbs,
                full_hop(
                    producer,
                    consumer.collect,
                    f"FULL saturation ({args.producers} use-cases)",
                    events=args.events,
                    producers=args.producers,
                    rate=0,
                ),
            )
        )
        for rate in args.rate:
            log(
                await count_db_tx(
                    dbs,
                    full_hop(
                        producer,
                        consumer.collect,
                        f"FULL paced {rate:g}/s",
                        events=int(rate * args.seconds),
                        producers=1,
                        rate=rate,
                    ),
                )
            )
        for queue, name in ((BARE_QUEUE, "BARE"), (BARE_QUORUM_QUEUE, "BARE quorum+persistent")):
            await bare_hop(bare, consumer.collect, "warm-up", queue=queue, events=200, rate=0)
            log(
                await bare_hop(
                    bare, consumer.collect, f"{name} saturation", queue=queue, events=args.events, rate=0
                )
            )
            log(
                await bare_hop(
                    bare,
                    consumer.collect,
                    f"{name} paced {args.rate[0]:g}/s",
                    queue=queue,
                    events=int(args.rate[0] * args.seconds),
                    rate=args.rate[0],
                )
            )
    finally:
        await bare.stop()
        await producer.stop()
        await consumer.stop()
    return results


def report(results: list[Result], args: argparse.Namespace) -> None:
    mode = "one asyncio process" if args.single_process else "producer+relay and consumer in two processes"
    print()
    print(f"Event hop benchmark ({mode}; consumer relay {'off' if args.no_consumer_relay else 'on'})")
    header = (
        f"{'phase':<40} {'recv/sent':>11} {'sent/s':>8} {'recv/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'deliv p50':>10} {'deliv p99':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.label:<40} {f'{r.received}/{r.sent}':>11} {r.send_rate:>8.0f} {r.rate:>8.0f} "
            f"{r.pct(0.5):>8.1f} {r.pct(0.99):>8.1f} {r.pct(1.0):>8.1f} "
            f"{r.pct(0.5, r.delivered_ms):>10.1f} {r.pct(0.99, r.delivered_ms):>10.1f}"
        )
    print(
        "sent/s: producer side (commits or publishes); recv/s: events / (first send → last consumer commit);\n"
        "latency: producer commit → consumer commit (bare: publish call → receipt); "
        "deliv: producer commit → consumer transaction opens."
    )
    by_label = {r.label: r for r in results}
    full_sat = next(r for r in results if r.label.startswith("FULL saturation"))
    bare_sat = by_label["BARE saturation"]
    target_rate = TARGET_P99_RATE if TARGET_P99_RATE in args.rate else args.rate[0]
    full_paced = by_label[f"FULL paced {target_rate:g}/s"]
    bare_paced = by_label[f"BARE paced {args.rate[0]:g}/s"]
    print()
    print(
        f"full/bare throughput: {full_sat.rate:.0f} / {bare_sat.rate:.0f} = {full_sat.rate / bare_sat.rate:.2f}"
    )
    if target_rate == args.rate[0]:
        print(
            f"full/bare p99 at {target_rate:g}/s: {full_paced.pct(0.99):.1f} / {bare_paced.pct(0.99):.1f} ms"
            f" = {full_paced.pct(0.99) / bare_paced.pct(0.99):.1f}x"
        )
    for r in results:
        paced = r.label.rsplit(" ", 1)[-1]
        if "paced" in r.label and r.send_rate < 0.9 * float(paced.removesuffix("/s")):
            print(f"note: {r.label}: the producer fell behind its schedule ({r.send_rate:.0f}/s sent)")
    lost = sum(r.sent - r.received for r in results)
    print(f"events lost: {lost}")
    print("database transactions per event (producer DB + consumer DB, from pg_stat_database):")
    for r in results:
        if r.db_tx and r.sent:
            prod, cons = r.db_tx
            print(f"  {r.label:<38} {prod / r.sent:6.1f} + {cons / r.sent:6.1f}")
    print(f"load average (1/5/15 min) at the end: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()
    ok_rate = full_sat.rate >= TARGET_RATE and full_sat.received == full_sat.sent
    ok_p99 = full_paced.pct(0.99) < TARGET_P99_MS and full_paced.received == full_paced.sent
    print(f"[{'PASS' if ok_rate else 'FAIL'}] full hop ≥ {TARGET_RATE:.0f} events/s: {full_sat.rate:.0f}/s")
    print(
        f"[{'PASS' if ok_p99 else 'FAIL'}] full hop p99 < {TARGET_P99_MS:.0f} ms at {target_rate:g}/s: "
        f"{full_paced.pct(0.99):.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="events in the saturation phases")
    parser.add_argument(
        "--rate",
        type=float,
        nargs="+",
        default=[200.0, 500.0],
        help="paced rates (events/s); first is also bare's",
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each paced phase")
    parser.add_argument(
        "--producers", type=int, default=4, help="concurrent use-cases in the saturation phase"
    )
    parser.add_argument("--single-process", action="store_true", help="run both services in one asyncio loop")
    parser.add_argument(
        "--no-consumer-relay", action="store_true", help="do not run the consumer service's own (idle) relay"
    )
    args = parser.parse_args()
    print(
        f"event hop: {args.events} events at saturation, {args.rate} events/s × {args.seconds:g} s paced; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    with (
        rabbitmq_vhost("dvc-bench") as vhost,
        postgres_database("bench_hop_producer", PLATFORM_MIGRATIONS) as producer_db,
        postgres_database("bench_hop_consumer", PLATFORM_MIGRATIONS) as consumer_db,
    ):
        print(
            f"  vhost {vhost.name}, databases {producer_db.rsplit('/', 1)[1]}, {consumer_db.rsplit('/', 1)[1]}"
        )
        results = asyncio.run(run(args, producer_db, consumer_db, vhost.url))
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
