"""The service Dockerfile, the sandbox's and .dockerignore, checked statically (no Docker engine here).

What an image installs is checked for real by tests/images (the image-install test), which runs the
same install script as the Dockerfile; here: that the Dockerfile runs it, and the rest of the image.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from dvc_devkit.devstack import SERVICE_PORTS, module_of

REPO = Path(__file__).resolve().parents[2]
SERVICE_DOCKERFILE = REPO / "deploy" / "docker" / "service.Dockerfile"
INSTALL_SCRIPT = "deploy/docker/install-service.sh"
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
    """The steps of each FROM stage; global ARGs before the first FROM are left out."""
    result: list[list[tuple[str, str]]] = []
    for step in steps:
        if step[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(step)
    return result


def lock_pin(name: str) -> str:
    found = re.search(
        rf"^{re.escape(name)}==(\S+)", (REPO / "requirements.lock").read_text(encoding="utf-8"), re.M
    )
    assert found, f"{name} is not pinned in requirements.lock"
    return found.group(1)


def run_cmd_as_shell(cmd: list[str], env: dict[str, str]) -> list[str]:
    """What the image's `sh -c` CMD would exec, with `exec` swapped for printing its arguments."""
    assert cmd[:2] == ["/bin/sh", "-c"] and cmd[2].startswith("exec ")
    script = "printf '%s\\n' " + cmd[2].removeprefix("exec ")
    out = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def test_every_service_builds_from_the_one_service_dockerfile() -> None:
    assert not list((REPO / "services").glob("*/Dockerfile")), (
        "one Dockerfile for all: deploy/docker/service.Dockerfile"
    )
    assert SERVICE_DOCKERFILE.is_file()


def test_service_dockerfile_installs_like_the_image_install_test() -> None:
    steps = instructions(SERVICE_DOCKERFILE)
    preamble = steps[: [op for op, _ in steps].index("FROM")]
    assert ("ARG", "PYTHON_VERSION=3.11") in preamble
    uv_stage, build, runtime = stages(steps)
    assert uv_stage[0] == ("FROM", f"ghcr.io/astral-sh/uv:{lock_pin('uv')} AS uv"), "uv as pinned in the lock"
    assert build[0] == ("FROM", "python:${PYTHON_VERSION}-slim-bookworm AS build")
    assert runtime[0] == ("FROM", "python:${PYTHON_VERSION}-slim-bookworm AS runtime")

    # The build stage copies exactly what tests/images copies, then runs the same script.
    copies = [args for op, args in build if op == "COPY"]
    assert copies == [
        "--from=uv /uv /usr/local/bin/uv",
        "requirements.lock requirements.lock",
        f"{INSTALL_SCRIPT} {INSTALL_SCRIPT}",
        "libs/common libs/common",
        "services/${SERVICE} services/${SERVICE}",
    ]
    runs = " && ".join(args for op, args in build if op == "RUN")
    assert "python -m venv --without-pip /opt/dvc" in runs
    assert f'sh {INSTALL_SCRIPT} wheels /tmp/wheels "${{SERVICE}}"' in runs
    assert f'sh {INSTALL_SCRIPT} install /tmp/wheels "${{SERVICE}}" /opt/dvc' in runs
    assert "pip install" not in runs and "uv pip" not in runs, "install only through the shared script"

    # The runtime stage gets the virtualenv and nothing else: no sources, no wheels, no uv.
    assert [args for op, args in runtime if op == "COPY"] == ["--from=build /opt/dvc /opt/dvc"]
    env = " ".join(args for op, args in runtime if op == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env and "PATH=/opt/dvc/bin:$PATH" in env
    assert any(op == "RUN" and "fonts-dejavu-core" in args for op, args in runtime)
    assert any(op == "RUN" and "--uid 10001" in args for op, args in runtime)
    users = [args for op, args in runtime if op == "USER"]
    assert users and users[-1].split(":")[0] == "10001"
    user_index = runtime.index(("USER", users[-1]))
    assert not [op for op, _ in runtime[user_index:] if op == "RUN"], "nothing runs as root after USER"
    assert ("EXPOSE", "${PORT}") in runtime


def test_install_script_is_what_the_image_install_test_runs() -> None:
    test = (REPO / "tests" / "images" / "test_image_install.py").read_text(encoding="utf-8")
    assert f'INSTALL_SCRIPT = "{INSTALL_SCRIPT}"' in test
    script = (REPO / INSTALL_SCRIPT).read_text(encoding="utf-8")
    assert "--constraints requirements.lock" in script and "--build-constraints requirements.lock" in script
    assert "pip check" in script
    assert "-e " not in script and "--editable" not in script and "requirements-dev" not in script


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_image_runs_its_app_on_its_port(service: str) -> None:
    module, port = SERVICES[service]
    runtime = stages(instructions(SERVICE_DOCKERFILE))[-1]
    env = {"PATH": "/usr/bin:/bin", "DVC_SERVICE": service, "DVC_PORT": str(port)}
    cmd = json.loads([args for op, args in runtime if op == "CMD"][-1])
    assert run_cmd_as_shell(cmd, env) == [
        "uvicorn",
        f"{module}.app:app",
        "--host",
        "0.0.0.0",
        "--port",
        str(port),
    ]
    healthcheck = [args for op, args in runtime if op == "HEALTHCHECK"][-1]
    assert "127.0.0.1:%s/healthz" in healthcheck and "DVC_PORT" in healthcheck


def test_sandbox_dockerfile() -> None:
    steps = instructions(REPO / "deploy" / "docker" / "sandbox.Dockerfile")
    uv_stage, build, runtime = stages(steps)
    assert uv_stage[0] == ("FROM", f"ghcr.io/astral-sh/uv:{lock_pin('uv')} AS uv")
    assert build[0][1] == "python:${PYTHON_VERSION}-slim-bookworm AS build"
    runs = " ".join(args for op, args in build if op == "RUN")
    assert "--constraints requirements.lock" in runs and "pip check" in runs and "-e " not in runs
    assert [args for op, args in runtime if op == "COPY"] == ["--from=build /opt/dvc /opt/dvc"]
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
        "requirements.lock",
        INSTALL_SCRIPT,
    ):
        assert not dockerignore_excludes(needed, patterns), f"{needed} would be missing from the image build"


def test_no_dockerfile_uses_a_floating_base_image() -> None:
    for dockerfile in (SERVICE_DOCKERFILE, REPO / "deploy" / "docker" / "sandbox.Dockerfile"):
        for op, args in instructions(dockerfile):
            if op == "FROM":
                image = args.split()[0]
                assert ":" in image and not image.endswith(":latest"), f"{dockerfile.name}: {image}"
                assert not re.fullmatch(r"python:3(-slim)?", image), f"{dockerfile.name}: {image}"
