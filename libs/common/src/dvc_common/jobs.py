"""Background work, written once: a periodic job (on one replica under a lease, if asked) and backoff.

A job is a coroutine function run in a loop every `every` seconds until stopped. It may ask for its
next run sooner or later by returning `RunAgain(after=…)` (0: at once, because work is left), and
`wake()` ends the current wait early (a use-case just committed work for it). A failure is logged
and the loop waits `backoff(consecutive failures, retry_base, retry_cap)` before trying again.

With a `Lease`, a pass runs only on the replica holding it: the lease is taken (or renewed) before
each pass, renewed every third of its time-to-live while a pass runs, and the pass is cancelled if
the lease is lost (another replica took over). The lease is released when the job stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from dvc_common.lease import Lease

log = logging.getLogger(__name__)

T = TypeVar("T")


def backoff(attempt: int, base: float, cap: float, *, jitter: bool = False) -> float:
    """Delay before retry number `attempt` (1 for the first): `base * 2**(attempt-1)`, at most `cap`.

    Attempts below 1 count as 1. With `jitter`, a random delay between half and all of it, so
    replicas that failed together do not retry together.
    """
    exponent = max(attempt, 1) - 1
    delay = cap if exponent >= 64 else min(base * 2**exponent, cap)
    return random.uniform(delay / 2, delay) if jitter else delay


@dataclass(frozen=True)
class RunAgain:
    """What a job returns to choose its next run: `after` seconds from now (0: at once)."""

    after: float = 0.0


Work = Callable[[], Awaitable["RunAgain | None"]]


class LeaseUnavailable(Exception):
    """The pass did not run (or did not finish) because this replica does not hold the lease."""


class NotLeader(LeaseUnavailable):
    """Another replica holds the lease: the pass is its to run."""


class LeaseLost(LeaseUnavailable):
    """The lease was lost while the pass ran (another replica took over); the pass was cancelled."""


async def run_exclusively(lease: Lease, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` while holding `lease`, renewing it every third of its time-to-live.

    Raises `NotLeader` when another replica holds the lease, `LeaseLost` (after cancelling the
    work) when it is lost midway.
    """
    if not await lease.acquire():
        raise NotLeader(lease.name)
    task: asyncio.Task[T] = asyncio.ensure_future(work())
    keeper = asyncio.create_task(_keep(lease, task), name=f"lease-{lease.name}")
    try:
        return await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise  # we are being stopped
        raise LeaseLost(lease.name) from None
    finally:
        keeper.cancel()
        task.cancel()


async def _keep(lease: Lease, task: asyncio.Task[T]) -> None:
    while not task.done():
        await asyncio.sleep(lease.ttl_seconds / 3)
        if not task.done() and not await lease.acquire():
            log.error("lease lost; stopping this pass", extra={"lease": lease.name})
            task.cancel()
            return


class PeriodicJob:
    """One background loop of a service; see the module docstring.

    Start it from the app's startup hooks and stop it from the shutdown hooks
    (`on_startup=[job.on_startup]`, `on_shutdown=[job.on_shutdown]`), or drive `run_once()` in tests.
    """

    def __init__(
        self,
        name: str,
        work: Work,
        *,
        every: float,
        lease: Lease | None = None,
        retry_base: float | None = None,
        retry_cap: float = 60.0,
    ) -> None:
        self.name = name
        self._work = work
        self.every = every
        self.lease = lease
        self._retry_base = every if retry_base is None else retry_base
        self._retry_cap = max(retry_cap, self._retry_base)
        self._wakeup = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.failures = 0  # consecutive failed passes

    async def run_once(self) -> RunAgain | None:
        """One pass (under the lease when there is one). Raises NotLeader / LeaseLost, or the job's error."""
        if self.lease is None:
            return await self._work()
        return await run_exclusively(self.lease, self._work)

    def wake(self) -> None:
        """End the current wait: run the next pass now."""
        self._wakeup.set()

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """The loop, until `stop` (or `self.stop()`) is set; never raises for a failed pass."""
        stop = stop or self._stop
        while not stop.is_set():
            self._wakeup.clear()  # before the pass: a wake() during the pass is not lost
            delay = await self._pass()
            if delay > 0 and not stop.is_set():
                await self._wait(stop, delay)
        await self._release()

    async def _pass(self) -> float:
        try:
            again = await self.run_once()
        except NotLeader:
            self.failures = 0
            return self.every
        except LeaseLost:
            self.failures = 0
            return self.every  # already logged by the lease keeper
        except Exception:
            self.failures += 1
            log.exception(
                "background job failed; retrying", extra={"job": self.name, "failures": self.failures}
            )
            return backoff(self.failures, self._retry_base, self._retry_cap)
        self.failures = 0
        return self.every if again is None else again.after

    async def _wait(self, stop: asyncio.Event, seconds: float) -> None:
        stopped = asyncio.ensure_future(stop.wait())
        woken = asyncio.ensure_future(self._wakeup.wait())
        try:
            await asyncio.wait({stopped, woken}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
            woken.cancel()

    async def _release(self) -> None:
        if self.lease is not None:
            with contextlib.suppress(Exception):
                await self.lease.release()

    def start(self) -> None:
        """Run the loop in a task of its own."""
        if self._task is None:
            self._stop.clear()
            self._task = asyncio.create_task(self.run(self._stop), name=self.name)

    async def stop(self) -> None:
        """Stop after the current pass (it is not interrupted) and release the lease."""
        self._stop.set()
        self._wakeup.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def on_startup(self, *_: object) -> None:
        """Startup hook form of `start()` (`create_app(on_startup=[job.on_startup])`)."""
        self.start()

    async def on_shutdown(self, *_: object) -> None:
        """Shutdown hook form of `stop()`."""
        await self.stop()
