"""schemathesis runs against the same real stack as the end-to-end tests (tests/e2e/conftest.py):
its fixtures are loaded from there, not copied; the people whose tokens make the authenticated
profiles come from tests/security/security_support.py (officers appointed through identity, citizens
signed in through the VNeID simulator)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from dvc_devkit.devstack import Stack

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "e2e"))  # e2e_support, which security_support imports


def _load(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_E2E = _load("e2e_stack_fixtures_st", HERE.parent / "e2e" / "conftest.py")
_SECURITY = _load("security_support_st", HERE.parent / "security" / "security_support.py")
s3 = _E2E.s3
stack = _E2E.stack


@pytest.fixture
def people(stack: Stack) -> Any:
    """security_support.People: officers appointed through identity, citizens through VNeID; new
    for each service, so no token outlives its lifetime across the runs."""
    return _SECURITY.People(stack)
