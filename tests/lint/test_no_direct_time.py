"""Domain time comes from the system clock only (issue 20): no service, no shared library module, no
simulator reads the wall clock itself.

Scans the sources with `ast` for `datetime.now`, `datetime.utcnow`, `datetime.today`, `date.today`,
`time.time` and `time.time_ns` (called or passed around, e.g. `default_factory=datetime.now`) and for
`from time import time`. Use `dvc_common.clock.now()` / `timestamp()` / `today()` instead; elapsed
time for timeouts and metrics uses `time.monotonic()` / `time.perf_counter()`, which stay allowed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("services/*/src", "libs/common/src", "sandbox/src")
SKIPPED_PARTS = {"build", "migrations", "__pycache__"}  # stale build copies; Alembic scripts

# Where the wall clock may be read, and why. Keep it short.
ALLOWED = {
    "libs/common/src/dvc_common/clock.py": "the clock itself (wall_now)",
}

FORBIDDEN_ATTRIBUTES = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
}


def sources() -> Iterator[Path]:
    for pattern in SCANNED:
        for folder in ROOT.glob(pattern):
            for path in folder.rglob("*.py"):
                if not SKIPPED_PARTS.intersection(path.relative_to(ROOT).parts):
                    yield path


def _owner(node: ast.expr) -> str | None:
    """`datetime` for `datetime.now` and for `datetime.datetime.now`; `time` for `time.time`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def direct_time_reads(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and (_owner(node.value), node.attr) in FORBIDDEN_ATTRIBUTES:
            yield node.lineno, f"{_owner(node.value)}.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            for alias in node.names:
                if alias.name in ("time", "time_ns"):
                    yield node.lineno, f"from time import {alias.name}"


def offences() -> list[str]:
    found = []
    for path in sorted(sources()):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        found += [f"{relative}:{line}: {what}" for line, what in sorted(direct_time_reads(tree))]
    return found


def test_no_wall_clock_reads_outside_the_clock() -> None:
    found = offences()
    assert not found, (
        "domain time must come from dvc_common.clock (now(), timestamp(), today()); elapsed time from "
        "time.monotonic(). Direct wall-clock reads:\n  " + "\n  ".join(found)
    )


def test_the_scan_finds_what_it_must() -> None:
    sample = ast.parse(
        "import time, datetime as dt\n"
        "from datetime import date, datetime\n"
        "from time import time as wall\n"
        "a = datetime.now(UTC)\n"
        "b = time.time()\n"
        "c = date.today()\n"
        "d = dt.datetime.utcnow()\n"
        "e = Field(default_factory=datetime.now)\n"
        "f = time.monotonic()\n"
        "g = clock.now()\n"
    )
    assert [line for line, _ in direct_time_reads(sample)] == [3, 4, 5, 6, 7, 8]
    assert sum(1 for _ in sources()) > 100, "the scan sees the services' sources"
