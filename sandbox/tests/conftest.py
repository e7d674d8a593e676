"""Starts the real ``dvc-sandbox`` process (HTTP app and SMTP sink) on free ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

API_KEY = "sandbox-test-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningSandbox:
    process: subprocess.Popen[bytes]
    http_url: str
    smtp_port: int
    mail_dir: Path


def start_sandbox(mail_dir: Path) -> RunningSandbox:
    http_port, smtp_port = free_port(), free_port()
    log = mail_dir.parent / f"sandbox-{http_port}.log"
    with log.open("wb") as log_file:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [
                sys.executable, "-m", "dvc_sandbox.cli",
                "--http-port", str(http_port), "--smtp-port", str(smtp_port), "--mail-dir", str(mail_dir),
            ],
            env={**os.environ, "SANDBOX_PORTAL_API_KEY": API_KEY},
            stdout=subprocess.DEVNULL,
            stderr=log_file,  # a file, not a pipe: an unread pipe would block the server once full
        )  # fmt: skip
    url = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sandbox exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return RunningSandbox(process, url, smtp_port, mail_dir)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("sandbox did not start in time")


def stop_sandbox(sandbox: RunningSandbox) -> int:
    sandbox.process.terminate()
    try:
        return sandbox.process.wait(timeout=15)
    finally:
        if sandbox.process.poll() is None:
            sandbox.process.kill()


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start_sandbox(tmp_path_factory.mktemp("mail"))
    yield running
    stop_sandbox(running)


@pytest.fixture
async def portal(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the portal API, authenticated, with the portal reset and up."""
    async with httpx.AsyncClient(
        base_url=sandbox.http_url, headers={"Authorization": f"Bearer {API_KEY}"}
    ) as client:
        await client.delete("/national-portal/_control/records")
        await client.post("/national-portal/_control/outage", json={"down": False})
        yield client
