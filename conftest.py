"""Suite-wide fixtures for every test folder (pytest loads this conftest from the root directory)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator

import aio_pika
import pytest


@pytest.fixture(scope="session", autouse=True)
async def _close_leftover_robust_connections() -> AsyncIterator[None]:
    """Close, on the session's event loop, every aio-pika robust connection a test left open, then
    end the tasks still running there, collecting their errors.

    A robust connection that was never closed swallows the cancellation pytest-asyncio sends when
    it shuts the session loop down (aio-pika keeps reconnecting unless `close()` was called, e.g. to
    a test vhost that no longer exists), so the run would hang after its last test; a consumer left
    running fails while stopping once its connection is gone, which would fail the last teardown.
    """
    yield
    for obj in gc.get_objects():
        if isinstance(obj, aio_pika.RobustConnection) and not obj.is_closed:
            with contextlib.suppress(Exception):
                await obj.close()
    leftover = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in leftover:
        task.cancel()
    if leftover:
        done, _ = await asyncio.wait(leftover, timeout=30)
        for task in done:
            if not task.cancelled():
                task.exception()  # retrieved: a leftover's error is not this run's result
