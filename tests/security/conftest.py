"""The security suite runs against the same real stack as the end-to-end tests (tests/e2e/conftest.py):
its fixtures are loaded from there, not copied, and the people of an attack come from `security_support`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from dvc_devkit.devstack import Stack

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))  # `security_support` next to the tests (pytest runs in importlib mode)

from security_support import People  # noqa: E402


def _e2e_fixtures() -> object:
    spec = importlib.util.spec_from_file_location("e2e_stack_fixtures", HERE.parent / "e2e" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_E2E = _e2e_fixtures()
s3 = _E2E.s3  # type: ignore[attr-defined]
stack = _E2E.stack  # type: ignore[attr-defined]
bucket = _E2E.bucket  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def people(stack: Stack) -> People:
    return People(stack)
