"""One way to run background work: backoff, the periodic loop, and the lease that keeps it on one replica."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from dvc_common.db import unit_of_work
from dvc_common.jobs import LeaseLost, NotLeader, PeriodicJob, RunAgain, backoff, run_exclusively
from dvc_common.lease import Lease


@pytest.mark.parametrize(
    ("attempt", "base", "cap", "expected"),
    [
        (1, 0.5, 10, 0.5),
        (2, 0.5, 10, 1.0),
        (3, 0.5, 10, 2.0),
        (6, 0.5, 10, 10.0),  # 16 capped
        (0, 2.0, 600, 2.0),  # below 1 counts as the first
        (-3, 2.0, 600, 2.0),
        (10_000, 1.0, 60, 60.0),  # no overflow
        (4, 500, 60_000, 4000),  # milliseconds work the same
    ],
)
def test_backoff_doubles_from_base_up_to_cap(attempt: int, base: float, cap: float, expected: float) -> None:
    assert backoff(attempt, base, cap) == expected


def test_backoff_with_jitter_stays_between_half_and_all_of_the_delay() -> None:
    delays = [backoff(3, 1.0, 60, jitter=True) for _ in range(200)]
    assert all(2.0 <= d <= 4.0 for d in delays)
    assert len(set(delays)) > 1


async def test_the_loop_runs_again_at_once_when_asked_and_keeps_going_after_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stop = asyncio.Event()
    calls: list[int] = []

    async def work() -> RunAgain | None:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            raise RuntimeError("national portal unavailable")
        if len(calls) == 3:
            stop.set()
        return RunAgain()

    job = PeriodicJob("test-job", work, every=3600, retry_base=0)
    with caplog.at_level(logging.ERROR, logger="dvc_common.jobs"):
        await asyncio.wait_for(job.run(stop), timeout=10)
    assert calls == [1, 2, 3], "a failure is retried after backoff(…, 0) and RunAgain() runs at once"
    assert job.failures == 0
    [record] = [r for r in caplog.records if r.message == "background job failed; retrying"]
    assert record.__dict__["job"] == "test-job"


async def test_wake_ends_the_wait_and_stop_ends_the_loop_without_waiting_the_interval() -> None:
    passes = asyncio.Queue[int]()
    count = 0

    async def work() -> None:
        nonlocal count
        count += 1
        passes.put_nowait(count)

    job = PeriodicJob("test-wake", work, every=3600)
    job.start()
    assert await asyncio.wait_for(passes.get(), timeout=10) == 1
    job.wake()
    assert await asyncio.wait_for(passes.get(), timeout=10) == 2
    await asyncio.wait_for(job.stop(), timeout=10)
    assert count == 2


@pytest.fixture
async def leases(platform_engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    async with platform_engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS test_lease (name text PRIMARY KEY, holder text NOT NULL,"
                " expires_at timestamptz NOT NULL)"
            )
        )
        await conn.execute(text("TRUNCATE test_lease"))
    yield platform_engine


def lease(engine: AsyncEngine, holder: str, ttl: float = 30) -> Lease:
    return Lease(unit_of_work(engine), table="test_lease", name="test.job", ttl_seconds=ttl, holder=holder)


async def test_only_the_lease_holder_runs_a_pass_and_stopping_releases_the_lease(leases: AsyncEngine) -> None:
    ran: list[str] = []

    def job_of(holder: str) -> PeriodicJob:
        async def work() -> None:
            ran.append(holder)

        return PeriodicJob(f"job-{holder}", work, every=3600, lease=lease(leases, holder))

    first, second = job_of("replica-a"), job_of("replica-b")
    assert await first.run_once() is None
    with pytest.raises(NotLeader):
        await second.run_once()
    assert ran == ["replica-a"]

    stop = asyncio.Event()
    stop.set()  # the loop stops at once and releases what it holds
    await first.run(stop)
    await second.run_once()
    assert ran == ["replica-a", "replica-b"], "released: the other replica takes over"


async def test_a_pass_whose_lease_is_taken_away_is_cancelled(leases: AsyncEngine) -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def long_pass() -> None:
        started.set()
        try:
            await asyncio.Event().wait()  # until cancelled
        except asyncio.CancelledError:
            cancelled.set()
            raise

    mine = lease(leases, "replica-a", ttl=0.3)
    running = asyncio.create_task(run_exclusively(mine, long_pass))
    await asyncio.wait_for(started.wait(), timeout=10)
    async with leases.begin() as conn:  # another replica took over (as after a long pause)
        await conn.execute(
            text("UPDATE test_lease SET holder = 'replica-b', expires_at = now() + interval '1 hour'")
        )
    with pytest.raises(LeaseLost):
        await asyncio.wait_for(running, timeout=10)
    assert cancelled.is_set()
