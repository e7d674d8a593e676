"""Each service's migrations build exactly the tables its models declare: nothing missing, nothing foreign."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dvc_devkit.devstack import SERVICE_PORTS

TOOLS = Path(__file__).resolve().parent.parent / "tools"


@pytest.mark.parametrize("service", sorted(SERVICE_PORTS))
def test_migrations_match_models(service: str) -> None:
    result = subprocess.run(
        [sys.executable, str(TOOLS / "check_migrations.py"), service],
        capture_output=True,
        text=True,
        cwd=TOOLS,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
