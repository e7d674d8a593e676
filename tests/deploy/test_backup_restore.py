"""The backup and point-in-time restore that deploy/README.md documents, run with PostgreSQL's own tools.

CloudNativePG backs up with a base backup plus continuous WAL archiving (the Barman Cloud Plugin
moves both to S3) and restores by replaying the archived WAL over the base backup up to a target
time. This test does the same steps with initdb, archive_command, pg_basebackup and restore_command
on this machine, with a local directory standing in for the bucket: changes committed before the
target time are back, those after it are not. What it cannot run here (no Kubernetes, no operator,
no S3): the plugin's upload, the operator's bootstrap.recovery; those are validated as manifests in
test_operators.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dvc_devkit.testing.s3server import free_port

TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "psql")
pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in TOOLS), reason="PostgreSQL server tools are not installed"
)


class Postgres:
    """One throw-away PostgreSQL instance; as root (CI) its processes run as the postgres user."""

    def __init__(self, root: Path, name: str) -> None:
        self.data = root / name
        self.port = free_port()
        self.socket = root

    def run(self, *command: str) -> str:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, f"{command[0]}: {done.stdout}\n{done.stderr}"
        return done.stdout

    def sql(self, statement: str) -> str:
        return self.run(
            "psql",
            "-X",
            "-q",
            "-t",
            "-A",
            "-h",
            str(self.socket),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            statement,
        ).strip()

    def configure(self, **settings: str) -> None:
        lines = [f"{key} = '{value}'" for key, value in settings.items()]
        with (self.data / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n".join(lines) + "\n")

    def start(self) -> None:
        self.configure(port=str(self.port), listen_addresses="", unix_socket_directories=str(self.socket))
        self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.data.parent / f"{self.data.name}.log"),
            "-w",
            "-t",
            "120",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


@pytest.fixture
def workdir() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="dvc-pitr-"))
    (root / "archive").mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(root / "archive", "postgres")
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def wait_archived(primary: Postgres, wal_file: str) -> None:
    """Until archive_command has copied `wal_file` (pg_stat_archiver), or fail."""
    deadline = time.monotonic() + 60
    while primary.sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver") < wal_file:
        failed = primary.sql("SELECT failed_count FROM pg_stat_archiver")
        assert failed == "0", "archive_command failed"
        assert time.monotonic() < deadline, f"{wal_file} was not archived"
        time.sleep(0.05)


def test_point_in_time_restore_from_base_backup_and_archived_wal(workdir: Path) -> None:
    archive = workdir / "archive"
    primary = Postgres(workdir, "primary")
    primary.run("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    # What the WAL archiver does (barman-cloud-wal-archive to S3 in the cluster).
    primary.configure(wal_level="replica", archive_mode="on", archive_command=f"cp %p {archive}/%f")
    restored = Postgres(workdir, "restored")
    try:
        primary.start()
        primary.sql("CREATE TABLE dossier (code text PRIMARY KEY, note text)")
        primary.sql("INSERT INTO dossier VALUES ('H56.01-261201-0001', 'trước sao lưu')")

        # The nightly base backup (ScheduledBackup): the data files only, WAL comes from the archive.
        base = workdir / "base"
        primary.run(
            "pg_basebackup",
            "-h",
            str(primary.socket),
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(base),
            "-X",
            "none",
            "-c",
            "fast",
        )
        primary.sql("INSERT INTO dossier VALUES ('H56.01-261201-0002', 'sau sao lưu, trước mốc')")
        target = primary.sql("SELECT now()")
        primary.sql("INSERT INTO dossier VALUES ('H56.01-261201-0003', 'sau mốc khôi phục')")
        wal = primary.sql("SELECT pg_walfile_name(pg_switch_wal())")
        wait_archived(primary, wal)
        primary.stop()  # the original is gone

        # Restore: a new instance from the base backup, replaying archived WAL up to the target.
        shutil.copytree(base, restored.data)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", str(restored.data)], check=True)
        restored.data.chmod(0o700)
        restored.configure(
            restore_command=f"cp {archive}/%f %p",
            recovery_target_time=target,
            recovery_target_action="promote",
            archive_mode="off",
        )
        (restored.data / "recovery.signal").touch()
        restored.start()
        deadline = time.monotonic() + 60
        while restored.sql("SELECT pg_is_in_recovery()") == "t":
            assert time.monotonic() < deadline, "recovery did not finish"
            time.sleep(0.05)

        codes = restored.sql("SELECT string_agg(code, ',' ORDER BY code) FROM dossier").split(",")
        assert codes == ["H56.01-261201-0001", "H56.01-261201-0002"], codes
        restored.sql("INSERT INTO dossier VALUES ('H56.01-261201-0004', 'ghi được sau khôi phục')")
    finally:
        restored.stop()
        primary.stop()
