"""Each service installed exactly as its image installs it, then imported as a container would.

No Docker engine runs here, so this is the check that an image can start: the build context is
copied (minus what .dockerignore drops), `deploy/docker/install-service.sh` — the script the
Dockerfile runs — builds the wheels and installs libs/common and one service, non-editable, into a
clean `python -m venv` from requirements.lock, with no dev requirements; then `probe.py` imports the
service's every module, its entry points and CLIs and its migration revisions inside that venv.
It runs on Python 3.11 (the images today) and 3.12 (the next base image, see deploy/README.md).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = "deploy/docker/install-service.sh"
SERVICES = sorted(p.name for p in (REPO / "services").iterdir() if (p / "pyproject.toml").is_file())
PYTHONS = ("3.11", "3.12")
# What the image build context leaves out (.dockerignore) and what builds leave behind.
NOT_IN_CONTEXT = shutil.ignore_patterns(
    "__pycache__", "*.py[cod]", "*.egg-info", "build", "dist", ".venv", ".pytest_cache", ".mypy_cache"
)


def uv_binary() -> str:
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.is_file() else shutil.which("uv")
    assert found, "uv is not installed: run scripts/bootstrap.sh (it installs uv from requirements.lock)"
    return found


def find_python(version: str) -> str | None:
    """An interpreter of that minor version: on PATH, or one of pyenv's installed versions."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    for candidate in candidates:
        if not candidate:
            continue
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return None


def clean_env() -> dict[str, str]:
    """No DVC_* settings, no virtualenv or PYTHONPATH of the test run leaking into the image venv."""
    keep = {"PATH", "HOME", "LANG", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR"}
    proxies = {"http_proxy", "https_proxy", "no_proxy"}
    env = {k: v for k, v in os.environ.items() if k in keep or k.lower() in proxies or k.startswith("UV_")}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["UV"] = uv_binary()
    return env


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=clean_env(), capture_output=True, text=True, check=False, timeout=900
    )


@pytest.fixture(scope="session")
def build_context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    context = tmp_path_factory.mktemp("image-context")
    shutil.copy2(REPO / "requirements.lock", context / "requirements.lock")
    (context / "deploy" / "docker").mkdir(parents=True)
    shutil.copy2(REPO / INSTALL_SCRIPT, context / INSTALL_SCRIPT)
    shutil.copytree(REPO / "libs" / "common", context / "libs" / "common", ignore=NOT_IN_CONTEXT)
    for service in SERVICES:
        shutil.copytree(REPO / "services" / service, context / "services" / service, ignore=NOT_IN_CONTEXT)
    shutil.copy2(Path(__file__).with_name("probe.py"), context / "probe.py")
    return context


@pytest.fixture(scope="session")
def wheels(build_context: Path) -> Path:
    out = build_context / "wheels"
    built = run(["sh", INSTALL_SCRIPT, "wheels", str(out), *SERVICES], build_context)
    assert built.returncode == 0, built.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def pythons() -> dict[str, str | None]:
    return {version: find_python(version) for version in PYTHONS}


@dataclass
class ImageInstall:
    """One service installed into a fresh venv by the image's script, and what the probe saw."""

    venv: Path
    install: subprocess.CompletedProcess[str]
    probe: subprocess.CompletedProcess[str] | None = None

    def report(self) -> dict[str, Any]:
        assert self.probe is not None
        assert self.probe.returncode == 0, self.probe.stderr[-4000:]
        # The probe's report is its last line (Alembic may log before it).
        report: dict[str, Any] = json.loads(self.probe.stdout.strip().splitlines()[-1])
        return report


def install_and_probe(python: str, service: str, context: Path, wheels: Path, root: Path) -> ImageInstall:
    venv = root / f"{Path(python).name}-{service}"
    created = run([python, "-m", "venv", "--without-pip", str(venv)], root)
    assert created.returncode == 0, created.stderr
    result = ImageInstall(
        venv, run(["sh", INSTALL_SCRIPT, "install", str(wheels), service, str(venv)], context)
    )
    if result.install.returncode == 0:
        result.probe = run([str(venv / "bin" / "python"), "-I", str(context / "probe.py"), service], root)
    return result


@pytest.fixture(scope="session")
def image_installs(
    request: pytest.FixtureRequest,
    pythons: dict[str, str | None],
    build_context: Path,
    wheels: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], ImageInstall]:
    """Every (Python, service) pair at once: installs wait on disk and the network, probes on CPU."""
    root = tmp_path_factory.mktemp("image-venvs")
    # Only the pairs this run selected (-k), all at once.
    selected = {
        (item.callspec.params["python"], item.callspec.params["service"])
        for item in request.session.items
        if hasattr(item, "callspec") and {"python", "service"} <= set(item.callspec.params)
    }
    jobs: dict[tuple[str, str], str] = {}
    for version, service in selected:
        interpreter = pythons[version]
        if interpreter is not None:
            jobs[(version, service)] = interpreter
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            key: pool.submit(install_and_probe, python, key[1], build_context, wheels, root)
            for key, python in jobs.items()
        }
        return {key: future.result() for key, future in futures.items()}


def console_scripts(service: str) -> list[str]:
    scripts: list[str] = []
    for pyproject in (
        REPO / "libs" / "common" / "pyproject.toml",
        REPO / "services" / service / "pyproject.toml",
    ):
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        scripts += project.get("scripts", {})
    return scripts


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize("service", SERVICES)
def test_service_starts_from_an_image_install(
    service: str,
    python: str,
    pythons: dict[str, str | None],
    image_installs: dict[tuple[str, str], ImageInstall],
) -> None:
    if pythons[python] is None:
        pytest.skip(f"no Python {python} interpreter on this machine")
    result = image_installs[(python, service)]
    assert result.install.returncode == 0, (
        f"{service} does not install as its image does:\n{result.install.stderr[-4000:]}"
    )
    report = result.report()
    assert report["python"] == python
    assert not report["failures"], f"{service} cannot import in its image: {report['failures']}"
    assert Path(report["package_file"]).is_relative_to(result.venv), "installed from a wheel, not editable"
    assert f"{'dvc_' + service.replace('-', '_')}.app" in report["imported"]
    module = "dvc_" + service.replace("-", "_")
    if (REPO / "services" / service / "src" / module / "handlers").is_dir():
        assert f"{module}.handlers" in report["imported"], "its broker subscribers"
    assert report["registered_services"] == [service], "the image registers its own service only"
    assert f"dvc.services:{service}" in report["entry_points"]
    # Each console script was loaded and answered --help (the init container runs `dvc migrate`).
    assert {f"console_scripts:{s}" for s in console_scripts(service)} <= set(report["entry_points"])
    assert report["migrations_env"] and report["revisions"] > 0, "migrations ship with the image"
    assert report["dev_modules_installed"] == [], "dev requirements must stay out of the image"
    assert report["dev_modules_loaded"] == [], "the service imports dev tooling"
