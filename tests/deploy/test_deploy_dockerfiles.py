"""Service Dockerfiles and .dockerignore, checked statically (there is no Docker engine here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dvc_common.devstack import SERVICE_PORTS, module_of

REPO = Path(__file__).resolve().parents[2]
# directory -> (module, port); names and ports come from the dev stack, the single list of services.
SERVICES = {name: (module_of(name), port) for name, port in SERVICE_PORTS.items()}

# The sandbox CLI binds 127.0.0.1 unless told otherwise; in a container it must listen on all interfaces.
SANDBOX_ARGS = {
    "--http-host": "0.0.0.0",
    "--http-port": "8090",
    "--smtp-host": "0.0.0.0",
    "--smtp-port": "1025",
    "--mail-dir": "/var/lib/sandbox/mail",
}


def sandbox_args(command: list[str]) -> dict[str, str]:
    assert command[0] == "dvc-sandbox" and len(command) % 2 == 1
    return dict(zip(command[1::2], command[2::2], strict=True))


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    assert not pending, f"{path}: dangling line continuation"
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def stages(steps: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for step in steps:
        if step[0] == "FROM":
            result.append([])
        result[-1].append(step)
    return result


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_dockerfile(service: str) -> None:
    module, port = SERVICES[service]
    steps = instructions(REPO / "services" / service / "Dockerfile")
    build, runtime = stages(steps)
    assert build[0] == ("FROM", "python:3.11-slim AS build")
    assert runtime[0][1].startswith("python:3.11-slim")

    copies = [args for op, args in build if op == "COPY"]
    assert "libs/common libs/common" in copies
    assert f"services/{service} services/{service}" in copies
    assert any(
        op == "RUN" and "pip wheel" in args and "./libs/common" in args and f"./services/{service}" in args
        for op, args in build
    )

    # The runtime stage gets only wheels (bind-mounted from the build stage), no sources, no cache.
    assert not [args for op, args in runtime if op == "COPY" and "--from" not in args]
    install = [args for op, args in runtime if op == "RUN" and "pip install" in args]
    assert install and "--no-index" in install[0] and "from=build" in install[0]
    env = " ".join(args for op, args in runtime if op == "ENV")
    assert "PIP_NO_CACHE_DIR=1" in env and "PYTHONDONTWRITEBYTECODE=1" in env

    assert any(op == "RUN" and "--uid 10001" in args for op, args in runtime)
    users = [args for op, args in runtime if op == "USER"]
    assert users and users[-1].split(":")[0] == "10001"
    user_index = runtime.index(("USER", users[-1]))
    assert not [op for op, _ in runtime[user_index:] if op == "RUN"], "nothing runs as root after USER"

    assert ("EXPOSE", str(port)) in runtime
    cmd = [args for op, args in runtime if op == "CMD"]
    assert json.loads(cmd[-1]) == ["uvicorn", f"{module}.app:app", "--host", "0.0.0.0", "--port", str(port)]
    healthchecks = [args for op, args in runtime if op == "HEALTHCHECK"]
    assert all(f"127.0.0.1:{port}/healthz" in h for h in healthchecks)


def test_sandbox_dockerfile() -> None:
    steps = instructions(REPO / "deploy" / "docker" / "sandbox.Dockerfile")
    build, runtime = stages(steps)
    assert build[0][1].startswith("python:3.11-slim") and runtime[0][1].startswith("python:3.11-slim")
    assert [args for op, args in runtime if op == "USER"][-1].startswith("10001")
    cmd = json.loads([args for op, args in runtime if op == "CMD"][-1])
    assert sandbox_args(cmd) == SANDBOX_ARGS


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Docker's .dockerignore syntax: ** spans directories, * and ? stay within one path segment."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        elif pattern[i] == "[":
            close = pattern.index("]", i)
            out += pattern[i : close + 1]
            i = close + 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out)


def dockerignore_excludes(path: str, patterns: list[str]) -> bool:
    """The last matching pattern wins; a pattern matching a directory excludes everything below it."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        regex = _pattern_regex(pattern.lstrip("!").strip("/"))
        if any(regex.fullmatch(p) for p in prefixes):
            excluded = not negate
    return excluded


def test_dockerignore_keeps_sources_and_drops_local_state() -> None:
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for junk in (
        ".venv/bin/python",
        "var/blobs/x",
        ".git/HEAD",
        "services/intake/src/dvc_intake/__pycache__/a.pyc",
        ".pytest_cache/v",
        ".mypy_cache/x",
        ".ruff_cache/x",
        "services/qa/.venv/lib",
    ):
        assert dockerignore_excludes(junk, patterns), f"{junk} would be sent to the build context"
    for needed in (
        "libs/common/pyproject.toml",
        "libs/common/src/dvc_common/cli.py",
        "services/intake/pyproject.toml",
        "services/sync-national/src/dvc_sync_national/app.py",
        "services/intake/src/dvc_intake/migrations/env.py",
        "sandbox/pyproject.toml",
    ):
        assert not dockerignore_excludes(needed, patterns), f"{needed} would be missing from the image build"


def test_no_dockerfile_uses_latest_python() -> None:
    for service in SERVICES:
        text = (REPO / "services" / service / "Dockerfile").read_text(encoding="utf-8")
        assert not re.search(r"FROM python:(latest|3\s)", text)
