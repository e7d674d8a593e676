"""The assets the portal serves itself (no CDN) are exactly the npm releases they name: the files in
static/vendor match VENDORED.json, the versions pinned in package.json / package-lock.json, and,
byte for byte, the files of those packages as npm installs them (integrity-checked by the lock)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
VENDOR = HERE.parent / "src" / "dvc_portal" / "static" / "vendor"
MANIFEST = json.loads((VENDOR / "VENDORED.json").read_text(encoding="utf-8"))


def _installed() -> Path:
    modules = HERE / "node_modules"
    if not modules.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to check the vendored assets against their npm releases")
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    return modules


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_the_vendored_file_is_the_pinned_npm_release(name: str) -> None:
    entry = MANIFEST[name]
    content = (VENDOR / name).read_bytes()
    assert hashlib.sha256(content).hexdigest() == entry["sha256"]
    assert (VENDOR / entry["licence_file"]).exists()
    pinned = json.loads((HERE / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert pinned[entry["package"]] == entry["version"]
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][f"node_modules/{entry['package']}"]["version"] == entry["version"]
    released = _installed() / entry["package"]
    assert json.loads((released / "package.json").read_text(encoding="utf-8"))["version"] == entry["version"]
    assert (released / entry["file"]).read_bytes() == content


def test_every_vendored_asset_is_listed() -> None:
    served = {p.name for p in VENDOR.iterdir() if p.suffix in (".js", ".css")}
    assert served == set(MANIFEST)
