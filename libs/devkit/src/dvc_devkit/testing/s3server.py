"""A real S3 protocol server (moto) for tests, started on a free local port.

moto runs in a child process rather than a thread: the code under test keeps the GIL to itself,
memory measurements of the test process are not polluted by the server's copy of every object,
and the same helper serves end-to-end tests whose services run as separate processes.

    with running_s3_server() as s3:
        store = S3BlobStore(endpoint=s3.endpoint, access_key=s3.access_key,
                            secret_key=s3.secret_key, bucket="test", secure=False, region=s3.region)
"""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from types import TracebackType
from typing import IO

__all__ = ["S3Server", "free_port", "running_s3_server"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class S3Server:
    """A moto S3 server child process. moto accepts any credentials; these are the ones to use."""

    access_key = "testing"
    secret_key = "testing"
    region = "us-east-1"
    secure = False

    def __init__(self, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port if port is not None else free_port(host)
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def endpoint(self) -> str:
        """``host:port``, as the minio SDK wants it."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """``http://host:port``, as boto3 and most other clients want it."""
        return f"http://{self.endpoint}"

    def start(self, *, timeout: float = 30.0) -> S3Server:
        if importlib.util.find_spec("moto") is None:
            raise RuntimeError("moto[server] is not installed in this environment")
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", self.host, "-p", str(self.port)],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"moto server exited early:\n{self._read_log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto server did not answer within {timeout} s:\n{self._read_log()}")

    def _read_log(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read()[-4000:].decode(errors="replace")

    def reset(self) -> None:
        """Forget every bucket and object (moto's reset API)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> S3Server:
        return self if self._process is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@contextlib.contextmanager
def running_s3_server(*, host: str = "127.0.0.1", port: int | None = None) -> Iterator[S3Server]:
    """Start a moto S3 server for the duration of the block (e.g. in a session-scoped fixture)."""
    server = S3Server(host=host, port=port).start()
    try:
        yield server
    finally:
        server.stop()
