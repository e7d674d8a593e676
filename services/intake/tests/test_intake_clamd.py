"""The antivirus is a real clamd (Debian's clamav-daemon, installed by scripts/bootstrap.sh). With no
network for freshclam, clamd runs on a signature database this test writes: the EICAR test signature
as a body signature (.ndb), so the file is found wherever it sits in an upload. A PDF carrying EICAR
is refused and nothing is stored; a clean one is stored as clean; unreachable clamd → quarantine.
If clamd is missing or cannot start, the test fails and says why (nothing is skipped)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from intake_support import PDF, Intake

from dvc_intake.scanning import ClamdScanner, ScannerUnavailable

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"


def _ping(sock_path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(2)
            s.connect(str(sock_path))
            s.sendall(b"zPING\0")
            return s.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """clamd on a Unix socket with the EICAR signature only; its socket path."""
    assert Path(CLAMD).exists(), "clamd is not installed: run scripts/bootstrap.sh (Debian clamav-daemon)"
    home = tmp_path_factory.mktemp("clamd")
    (home / "db").mkdir()
    (home / "db" / "eicar.ndb").write_text(f"Eicar-Test-Signature:0:*:{EICAR.hex()}\n")
    sock = home / "clamd.sock"
    conf = home / "clamd.conf"
    conf.write_text(
        "\n".join([
            "Foreground yes",
            f"DatabaseDirectory {home / 'db'}",
            f"LocalSocket {sock}",
            f"LogFile {home / 'clamd.log'}",
            f"PidFile {home / 'clamd.pid'}",
            f"TemporaryDirectory {home}",
            "StreamMaxLength 64M",
        ])
        + "\n"
    )  # fmt: skip
    process = subprocess.Popen([CLAMD, "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not _ping(sock):
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            pytest.fail(f"clamd exited with {process.returncode} before answering PING:\n{output}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("clamd did not answer PING within 120 s")
        time.sleep(0.2)
    try:
        yield sock
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_real_clamd_finds_eicar_and_passes_a_clean_file(clamd: Path) -> None:
    scanner = ClamdScanner("unused", 0, socket=clamd)
    clean = await scanner.scan(_chunks(PDF, b"% noi dung binh thuong\n"))
    # EICAR split across INSTREAM chunks is still found: clamd scans the stream, not each chunk.
    infected = await scanner.scan(_chunks(PDF, EICAR[:20], EICAR[20:]))
    assert clean.verdict == "clean"
    assert (
        infected.verdict == "infected" and infected.signature and "Eicar-Test-Signature" in infected.signature
    )


async def test_an_upload_carrying_eicar_is_refused_and_nothing_is_stored(intake: Intake, clamd: Path) -> None:
    intake.app.state.scanner = ClamdScanner("unused", 0, socket=clamd)
    before = await intake.counts()
    response = await intake.submit(files=[("don-de-nghi.pdf", PDF + EICAR + b"\n", "application/pdf")])
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("infected-file") and "Eicar-Test-Signature" in problem["detail"]
    assert await intake.counts() == before

    owner = intake.citizen("cd-sach")
    clean = await intake.submit(headers=owner)
    assert clean.status_code == 201, clean.text
    detail = (await intake.client.get(f"/api/v1/dossiers/{clean.json()['code']}", headers=owner)).json()
    assert detail["files"][0]["scan_status"] == "clean"


async def test_unreachable_clamd_leaves_the_file_in_quarantine(tmp_path: Path) -> None:
    with pytest.raises(ScannerUnavailable):
        await ClamdScanner("unused", 0, socket=tmp_path / "no-clamd.sock", timeout=2).scan(_chunks(PDF))
