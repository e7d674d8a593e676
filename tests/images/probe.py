"""Run inside an image-like virtualenv (no pytest there): import what a container would, report JSON.

    <venv>/bin/python probe.py SERVICE

Imports every module of the service package (its app, api, handlers, use-cases...), loads every
entry point of the installed dvc-* distributions (the `dvc.services` registration, and the console
scripts, each run with --help), imports each Alembic revision file shipped with the service and with libs/common, and
lists which dev-only modules were pulled in. Every failure is reported, not just the first.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import importlib.util
import io
import json
import pkgutil
import resource
import sys
import traceback
from pathlib import Path

# Dev tooling that must never be importable, or imported, in an image.
DEV_ONLY = ("dvc_devkit", "dvc_common.devstack", "dvc_common.testing", "pytest", "moto", "hypothesis")


def _error() -> str:
    return traceback.format_exc(limit=3).strip().splitlines()[-1]


def import_package(module: str, failures: dict[str, str], imported: list[str]) -> None:
    package = importlib.import_module(module)
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{module}."):
        # env.py runs Alembic at import time; the revisions are checked one by one below.
        if ".migrations" in info.name:
            continue
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except Exception:
            failures[info.name] = _error()


def run_help(name: str, main: object) -> None:
    """`<script> --help`, in this process: the command line parses and builds its commands."""
    argv = sys.argv
    sys.argv = [name, "--help"]
    try:
        assert callable(main)
        main()
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            raise RuntimeError(f"{name} --help exited with {exit_.code}") from None
    finally:
        sys.argv = argv


def load_entry_points(failures: dict[str, str]) -> dict[str, str]:
    loaded: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        if not dist.metadata["Name"].startswith("dvc-"):
            continue
        for entry in dist.entry_points:
            if entry.group not in ("console_scripts", "dvc.services"):
                continue
            key = f"{entry.group}:{entry.name}"
            try:
                target = entry.load()
                if entry.group == "console_scripts":
                    with contextlib.redirect_stdout(io.StringIO()):
                        run_help(entry.name, target)
                loaded[key] = entry.value
            except Exception:
                failures[key] = _error()
    return loaded


def import_revisions(directory: Path, failures: dict[str, str]) -> int:
    count = 0
    for path in sorted((directory / "versions").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_revision_{path.stem}", path)
        assert spec and spec.loader
        try:
            spec.loader.exec_module(importlib.util.module_from_spec(spec))
            count += 1
        except Exception:
            failures[str(path)] = _error()
    return count


def main(service: str) -> None:
    module = "dvc_" + service.replace("-", "_")
    failures: dict[str, str] = {}
    imported: list[str] = []
    import_package(module, failures, imported)
    entry_points = load_entry_points(failures)
    from dvc_common.migrations import PLATFORM_MIGRATIONS
    from dvc_common.registry import discover

    try:
        registered = discover()
    except Exception:
        failures["dvc_common.registry.discover()"] = _error()
        registered = {}
    migrations = registered[service].migrations if service in registered else None
    revisions = import_revisions(PLATFORM_MIGRATIONS, failures)
    if migrations is not None:
        revisions += import_revisions(migrations, failures)
    package_file = importlib.import_module(module).__file__ or ""
    report = {
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "prefix": sys.prefix,
        "package_file": package_file,
        "imported": imported,
        "failures": failures,
        "entry_points": entry_points,
        "registered_services": sorted(registered),
        "migrations_env": bool(migrations and (migrations / "env.py").is_file()),
        "revisions": revisions,
        "dev_modules_loaded": sorted(
            m for m in sys.modules if any(m == d or m.startswith(d + ".") for d in DEV_ONLY)
        ),
        # Resident memory with every module imported: the floor of the image's memory request.
        "rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "dev_modules_installed": sorted(
            d for d in DEV_ONLY if "." not in d and importlib.util.find_spec(d) is not None
        ),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
