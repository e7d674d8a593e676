"""Workflow's catalog as the other services receive it through the real event path (issue 15, K1):
the e-form schema and the performing agencies published by workflow reach intake's procedure page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from dvc_devkit.devstack import Stack
from e2e_support import eventually

SEED = Path(__file__).parents[2] / "services/workflow/src/dvc_workflow/seed/procedures.json"
CRIMINAL_RECORD = "2.000488.000.00.00.H56"  # Phiếu lý lịch tư pháp: an e-form, a department
BIRTH = "1.001193.000.00.00.H56"  # Đăng ký khai sinh: every commune performs it
CENTRE = "000.01.01.H56"  # Trung tâm Phục vụ hành chính công tỉnh Lai Châu


def test_intake_receives_the_eform_schema_and_the_performing_agencies(stack: Stack) -> None:
    seed = {p["code"]: p for p in json.loads(SEED.read_text(encoding="utf-8"))}
    intake = stack.url("intake")

    def page(code: str) -> dict[str, Any] | None:
        response = httpx.get(f"{intake}/api/v1/procedures/{code}", timeout=10)
        body: dict[str, Any] = response.json() if response.status_code == 200 else {}
        return body if body.get("agencies") else None

    criminal = eventually(lambda: page(CRIMINAL_RECORD), what="intake knows the criminal record procedure")
    assert criminal["form_schema"] == seed[CRIMINAL_RECORD]["eform_schema"]
    assert criminal["form_schema"]["properties"]
    [agency] = criminal["agencies"]
    assert agency["agency_id"] == "000.00.03.H56" and agency["receiving_agency_id"] == CENTRE
    birth = eventually(lambda: page(BIRTH), what="intake knows birth registration")
    communes = {a["agency_id"] for a in birth["agencies"]}
    assert {"000.01.30.H56", "000.09.30.H56", "000.12.30.H56"} <= communes and len(communes) >= 12
