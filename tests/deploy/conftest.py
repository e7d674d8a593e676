"""tests/deploy: the shared test support module (k8s_support) imports by name; the overlay fixture."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from k8s_support import OVERLAYS, Overlay, render


@pytest.fixture(scope="module", params=sorted(OVERLAYS))
def overlay(request: pytest.FixtureRequest) -> Overlay:
    """(name, rendered manifests) of each overlay, dev and prod."""
    return request.param, render(OVERLAYS[request.param])
