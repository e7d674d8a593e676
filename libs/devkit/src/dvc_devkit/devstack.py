"""Run the whole system on one machine: infrastructure checks, migrations, supervised processes.

Used by `dvc dev up` (the README's one command) and by the end-to-end tests, which start the same
stack on other ports with their own databases and RabbitMQ virtual host.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from dvc_common.settings import METRICS_PORT_OFFSET

SERVICE_PORTS: dict[str, int] = {
    "portal": 8000,  # first: the web pages people open (`dvc dev up` prints it first)
    "intake": 8001,
    "workflow": 8002,
    "payments": 8003,
    "notify": 8004,
    "sync-national": 8005,
    "qa": 8006,
    "identity": 8007,
    "event-log": 8009,
}
SANDBOX_PORT = 8090
SMTP_PORT = 1025


def env_prefix(service: str) -> str:
    return "DVC_" + service.upper().replace("-", "_") + "_"


def module_of(service: str) -> str:
    return "dvc_" + service.replace("-", "_")


@dataclass
class StackConfig:
    """Where everything lives; the defaults are the developer's local stack."""

    database_suffix: str = ""
    postgres: str = "postgresql+asyncpg://postgres@127.0.0.1:5432"
    amqp: str = "amqp://guest:guest@127.0.0.1:5672"
    vhost: str = "/"
    port_offset: int = 0
    var_dir: Path = Path("var")
    services: tuple[str, ...] = tuple(SERVICE_PORTS)
    extra_env: dict[str, str] = field(default_factory=dict)

    def port(self, service: str) -> int:
        return SERVICE_PORTS[service] + self.port_offset

    @property
    def sandbox_port(self) -> int:
        return SANDBOX_PORT + self.port_offset

    @property
    def smtp_port(self) -> int:
        return SMTP_PORT + self.port_offset

    @property
    def amqp_url(self) -> str:
        vhost = "%2F" if self.vhost == "/" else self.vhost
        return f"{self.amqp}/{vhost}"

    @property
    def clock_url(self) -> str:
        """Identity's clock setting, which every service and the sandbox follow (dvc_common.clock)."""
        return f"http://127.0.0.1:{self.port('identity')}/api/v1/clock/setting"

    def database_url(self, service: str) -> str:
        return f"{self.postgres}/{module_of(service)}{self.database_suffix}"

    def env(self) -> dict[str, str]:
        """The environment every process of the stack gets (each service reads its own prefix)."""
        env = dict(os.environ)
        env["DVC_AMQP_URL"] = self.amqp_url
        for service in SERVICE_PORTS:
            prefix = env_prefix(service)
            env[prefix + "DATABASE_URL"] = self.database_url(service)
            env[prefix + "AMQP_URL"] = self.amqp_url
            env[prefix + "JWKS_URL"] = f"http://127.0.0.1:{self.port('identity')}/.well-known/jwks.json"
            env[prefix + "TOKEN_ISSUER"] = f"http://127.0.0.1:{self.port('identity')}"
            # Prometheus metrics on their own port (inside the stack's port block), not the public app.
            env[prefix + "METRICS_PORT"] = str(self.port(service) + METRICS_PORT_OFFSET)
            if service != "identity":  # identity owns the clock; every other process follows it
                env[prefix + "CLOCK_URL"] = self.clock_url
        env["SANDBOX_CLOCK_URL"] = self.clock_url
        env["DVC_INTAKE_BLOB_DIR"] = str(self.var_dir / "blobs")
        # No antivirus in a development stack unless one is given (intake's default is clamd, and
        # production refuses "none"); intake's own test scans with a real clamd.
        env["DVC_INTAKE_SCANNER"] = "none"
        # The QR code on every slip and the link in every mail open this stack's own web look-up page,
        # the portal's /tra-cuu/{code} (the one public look-up page people see).
        lookup_base = f"http://127.0.0.1:{self.port('portal')}"
        env["DVC_INTAKE_PUBLIC_BASE_URL"] = lookup_base
        env["DVC_NOTIFY_PUBLIC_LOOKUP_URL"] = lookup_base + "/tra-cuu/{code}"
        for service in ("intake", "workflow"):  # the place of the forms' date line (the seeds' province)
            env.setdefault(f"DVC_{service.upper()}_FORMS_PLACE", "Lai Châu")
        env["DVC_NOTIFY_SMTP_PORT"] = str(self.smtp_port)
        env["DVC_NOTIFY_ZALO_OAUTH_URL"] = (
            f"http://127.0.0.1:{self.sandbox_port}/zalo/oauth/v4/oa/access_token"
        )
        env["DVC_NOTIFY_ZALO_ZNS_URL"] = f"http://127.0.0.1:{self.sandbox_port}/zalo/message/template"
        env["DVC_SYNC_NATIONAL_PORTAL_URL"] = f"http://127.0.0.1:{self.sandbox_port}/national-portal"
        env["DVC_PAYMENTS_PLATFORM_URL"] = f"http://127.0.0.1:{self.sandbox_port}/payment-platform"
        env["DVC_PAYMENTS_PUBLIC_URL"] = f"http://127.0.0.1:{self.port('payments')}"
        env["DVC_IDENTITY_PUBLIC_URL"] = f"http://127.0.0.1:{self.port('identity')}"
        env["DVC_IDENTITY_VNEID_URL"] = f"http://127.0.0.1:{self.sandbox_port}/vneid"
        env["DVC_IDENTITY_POPULATION_URL"] = f"http://127.0.0.1:{self.sandbox_port}/population"
        env["DVC_PORTAL_PUBLIC_URL"] = f"http://127.0.0.1:{self.port('portal')}"
        # VNeID sends the citizen's browser back to the portal, which ends the sign-in in its session.
        env["DVC_IDENTITY_VNEID_RETURN_URL"] = (
            f"http://127.0.0.1:{self.port('portal')}/cong-dan/vneid/ket-qua"
        )
        for service in ("identity", "workflow", "intake"):
            env[f"DVC_PORTAL_{service.upper()}_URL"] = f"http://127.0.0.1:{self.port(service)}"
        env.update(self.extra_env)
        return env


class Process:
    """One supervised child; its output goes to a log file and, optionally, the console."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path, echo: bool) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.echo = echo
        self.popen: subprocess.Popen[bytes] | None = None
        self._pump: threading.Thread | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.popen = subprocess.Popen(
            self.argv,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        assert self.popen.stdout is not None
        self._pump = threading.Thread(target=self._copy, args=(self.popen.stdout,), daemon=True)
        self._pump.start()

    def _copy(self, stream: IO[bytes]) -> None:
        with self.log_path.open("ab") as log:
            for line in iter(stream.readline, b""):
                log.write(line)
                log.flush()
                if self.echo:
                    sys.stdout.write(f"{self.name:>14} | {line.decode(errors='replace')}")
                    sys.stdout.flush()

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, timeout: float = 15) -> None:
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        if self._pump is not None:
            self._pump.join(timeout=5)
        self.popen = None

    def kill(self) -> None:
        """Die at once, as a crash would (no graceful shutdown)."""
        if self.popen is not None:
            self.popen.kill()
            self.popen.wait()
        self.stop()


class Stack:
    def __init__(self, config: StackConfig, *, echo: bool = False) -> None:
        self.config = config
        self.echo = echo
        self.env = config.env()
        self.log_dir = config.var_dir / "log"
        self.processes: dict[str, Process] = {}

    def migrate(self) -> None:
        subprocess.run(
            [_bin("dvc"), "migrate", *self.config.services],
            env=self.env,
            check=True,
            capture_output=not self.echo,
        )

    def _argv(self, name: str) -> list[str]:
        if name == "sandbox":
            return [
                _bin("dvc-sandbox"),
                "--http-port",
                str(self.config.sandbox_port),
                "--smtp-port",
                str(self.config.smtp_port),
                "--mail-dir",
                str(self.config.var_dir / "mail"),
            ]
        return [
            _bin("uvicorn"),
            f"{module_of(name)}.app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.config.port(name)),
            "--no-access-log",
        ]

    def url(self, name: str) -> str:
        port = self.config.sandbox_port if name == "sandbox" else self.config.port(name)
        return f"http://127.0.0.1:{port}"

    def metrics_url(self, name: str) -> str:
        """Where Prometheus scrapes `name` (its metrics port; the public port has no /metrics)."""
        return f"http://127.0.0.1:{self.config.port(name) + METRICS_PORT_OFFSET}/metrics"

    def start(self, name: str, *, wait: bool = True) -> Process:
        process = Process(name, self._argv(name), self.env, self.log_dir, self.echo)
        self.processes[name] = process
        process.start()
        if wait:
            self.wait_ready(name)
        return process

    def wait_ready(self, name: str, timeout: float = 60) -> None:
        probe = "/healthz" if name == "sandbox" else "/readyz"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes[name]
            if not process.alive:
                raise RuntimeError(f"{name} exited; see {process.log_path}")
            try:
                if httpx.get(self.url(name) + probe, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{name} not ready after {timeout}s; see {self.processes[name].log_path}")

    def check_ports_free(self) -> None:
        names = ["sandbox", *self.config.services]
        ports = [
            self.config.sandbox_port,
            self.config.smtp_port,
            *(self.config.port(n) for n in self.config.services),
        ]
        taken = [str(port) for port in ports if port_open("127.0.0.1", port, timeout=0.2)]
        if taken:
            raise RuntimeError(
                f"port(s) {', '.join(taken)} already in use — is another stack running? "
                f"({', '.join(names)} need them)"
            )

    def up(self) -> None:
        self.check_ports_free()
        self.migrate()
        self.start("sandbox")
        for name in self.config.services:
            self.start(name, wait=False)
        for name in self.config.services:
            self.wait_ready(name)

    def stop(self, name: str) -> None:
        self.processes[name].stop()

    def down(self) -> None:
        for name in reversed(list(self.processes)):
            self.processes[name].stop()

    @contextmanager
    def running(self) -> Iterator[Stack]:
        try:
            self.up()
            yield self
        finally:
            self.down()


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the supervisor dies, even by SIGKILL (no orphans)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


PR_SET_PDEATHSIG = 1


def _bin(name: str) -> str:
    """A console script of this virtualenv (the one running us), or from PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


# ---------------------------------------------------------------- infrastructure


_HELD_BLOCKS: list[IO[bytes]] = []  # lock files of the port blocks this process holds, until it exits


def reserve_port_offset(services: Iterable[str] | None = None, *, what: str = "stack") -> int:
    """The first port offset (100, 200, …) whose block this process can lock and whose ports are free.

    The lock (a file under the temp folder, held until the process exits) makes the probe and the
    start one step for concurrent test runs: two runs can no longer probe the same free block and then
    both start on it.
    """
    chosen = list(services) if services is not None else list(SERVICE_PORTS)
    folder = Path(tempfile.gettempdir()) / "dvc-port-blocks"
    folder.mkdir(exist_ok=True)
    for offset in range(100, 3000, 100):
        handle = open(folder / f"{offset}.lock", "wb")  # noqa: SIM115 - held until the process exits
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        probe = StackConfig(port_offset=offset, services=tuple(chosen))
        ports = [probe.sandbox_port, probe.smtp_port, *(probe.port(s) for s in chosen)]
        if any(port_open("127.0.0.1", port, timeout=0.2) for port in ports):
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
            continue
        _HELD_BLOCKS.append(handle)
        return offset
    raise RuntimeError(f"no free block of ports for the {what}")


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _wait_port(host: str, port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(host, port):
            return
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not open {host}:{port} within {timeout}s")


def _apt_install(package: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError(
            f"{package} is not installed and this is not a root Debian/Ubuntu shell: install {package} "
            "yourself (or point DVC_*_DATABASE_URL / DVC_*_AMQP_URL at running servers) and try again"
        )
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True, env=env)


def ensure_postgres() -> str:
    if port_open("127.0.0.1", 5432):
        return "PostgreSQL already running on 127.0.0.1:5432"
    if not shutil.which("pg_ctlcluster"):
        _apt_install("postgresql")
        _trust_local_postgres()
    versions = sorted(os.listdir("/etc/postgresql"))
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=False)
    _wait_port("127.0.0.1", 5432, "PostgreSQL")
    return f"PostgreSQL {versions[-1]} started on 127.0.0.1:5432"


def _trust_local_postgres() -> None:
    """A freshly installed development server: trust local TCP connections, as the CI machine does."""
    for hba in Path("/etc/postgresql").glob("*/main/pg_hba.conf"):
        text = hba.read_text()
        rule = "host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
        if rule not in text:
            hba.write_text(rule + text)


def ensure_rabbitmq() -> str:
    if port_open("127.0.0.1", 5672):
        return "RabbitMQ already running on 127.0.0.1:5672"
    if not shutil.which("rabbitmq-server"):
        _apt_install("rabbitmq-server")
    subprocess.run(["rabbitmq-server", "-detached"], check=False)
    _wait_port("127.0.0.1", 5672, "RabbitMQ", timeout=90)
    return "RabbitMQ started on 127.0.0.1:5672"


def create_vhost(name: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True, capture_output=True)
    subprocess.run(
        ["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
        check=True,
        capture_output=True,
    )


def delete_vhost(name: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], check=False, capture_output=True)
