"""requirements.lock: one hashed, universal lock that CI and the images install from.

CI installs it with `pip --require-hashes` (scripts/bootstrap.sh), the images with uv as hashed
constraints (deploy/docker/install-service.sh). A requirement that is not in the lock would be
installed unpinned, or not at all: this fails first, with the command that regenerates the lock.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "requirements.lock"
REGENERATE = "bash deploy/lock/compile.sh"
PYTHONS = ("3.11", "3.12")


@dataclass(frozen=True)
class Pin:
    name: str
    version: Version
    marker: Marker | None
    hashes: int


def pins() -> list[Pin]:
    text = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if not line or line[0] in "# ":
            continue
        requirement, _, marker = line.split(" --hash")[0].partition(";")
        name, _, version = requirement.strip().partition("==")
        assert version, f"requirements.lock: not an exact pin: {line[:80]}"
        found.append(
            Pin(
                canonicalize_name(name),
                Version(version),
                Marker(marker.strip()) if marker.strip() else None,
                line.count("--hash=sha256:"),
            )
        )
    return found


def own_projects() -> dict[str, dict[str, object]]:
    projects = {}
    for pyproject in sorted(REPO.glob("libs/*/pyproject.toml")) + sorted(
        REPO.glob("services/*/pyproject.toml")
    ):
        projects[str(pyproject.parent.relative_to(REPO))] = tomllib.loads(pyproject.read_text("utf-8"))[
            "project"
        ]
    projects["sandbox"] = tomllib.loads((REPO / "sandbox" / "pyproject.toml").read_text("utf-8"))["project"]
    return projects


def requirements() -> dict[str, list[Requirement]]:
    """Every third-party requirement, by where it is declared (dev tools, each package)."""
    ours = {canonicalize_name(str(p["name"])) for p in own_projects().values()}
    by_origin: dict[str, list[Requirement]] = {}
    dev = [
        line.split("#")[0].strip()
        for line in (REPO / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    ]
    by_origin["requirements-dev.txt"] = [
        Requirement(line) for line in dev if line and not line.startswith("-")
    ]
    for origin, project in own_projects().items():
        declared = [Requirement(r) for r in project.get("dependencies", [])]  # type: ignore[attr-defined]
        by_origin[origin] = [r for r in declared if canonicalize_name(r.name) not in ours]
    return by_origin


def environment(python: str) -> dict[str, str]:
    return {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }


def test_lock_says_how_it_is_regenerated() -> None:
    assert REGENERATE in LOCK.read_text(encoding="utf-8").split("\n", 3)[1]
    readme = (REPO / "deploy" / "README.md").read_text(encoding="utf-8")
    assert REGENERATE in readme


def test_every_pin_is_exact_and_hashed() -> None:
    found = pins()
    assert len(found) > 50
    assert all(pin.hashes >= 1 for pin in found), [p.name for p in found if not p.hashes]
    ours = {canonicalize_name(str(p["name"])) for p in own_projects().values()}
    assert not ours & {p.name for p in found}, "our own packages are installed from the tree, never pinned"


@pytest.mark.parametrize("python", PYTHONS)
def test_every_declared_requirement_is_locked(python: str) -> None:
    env = environment(python)
    locked: dict[str, Version] = {}
    for pin in pins():
        if pin.marker is None or pin.marker.evaluate(env):
            assert pin.name not in locked, f"{pin.name} pinned twice for Python {python}"
            locked[pin.name] = pin.version
    problems = []
    for origin, declared in requirements().items():
        for requirement in declared:
            if requirement.marker and not requirement.marker.evaluate(env):
                continue
            name = canonicalize_name(requirement.name)
            if name not in locked:
                problems.append(f"{origin}: {requirement} is not in the lock")
            elif not requirement.specifier.contains(locked[name], prereleases=True):
                problems.append(f"{origin}: {requirement} but the lock pins {locked[name]}")
    assert not problems, "\n".join(problems) + f"\nregenerate with: {REGENERATE}"


def test_uv_of_the_images_is_the_locked_uv() -> None:
    dockerfile = (REPO / "deploy" / "docker" / "service.Dockerfile").read_text(encoding="utf-8")
    uv = next(p for p in pins() if p.name == "uv")
    assert re.search(rf"^FROM ghcr\.io/astral-sh/uv:{re.escape(str(uv.version))} AS uv$", dockerfile, re.M)
